with source as (
    select * from {{ source('csc', 'ssd_missing') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        miss_table_id as episode_id,
        miss_person_id as person_id,
        miss_missing_episode_type as episode_type,
        miss_missing_episode_start_date as started_at,
        miss_missing_episode_end_date as returned_at,
        miss_missing_rhi_offered as rhi_offered,
        miss_missing_rhi_accepted as rhi_accepted,
        miss_rhi_completed_date as rhi_completed_at,
        miss_rhi_independent as rhi_independent,
        miss_looked_after as looked_after
    from source
)

select * from renamed
