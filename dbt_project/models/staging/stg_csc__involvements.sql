with source as (
    select * from {{ source('csc', 'ssd_involvements') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        invo_involvements_id as involvement_id,
        invo_professional_id as professional_id,
        invo_person_id as person_id,
        invo_professional_role_id as professional_role,
        invo_professional_team as team_id_at_time,
        invo_involvement_start_date as start_date,
        invo_involvement_end_date as end_date
    from source
)

select * from renamed
