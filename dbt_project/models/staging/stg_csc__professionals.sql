with source as (
    select * from {{ source('csc', 'ssd_professionals') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        prof_professional_id as professional_id,
        prof_team_id as team_id,
        prof_professional_job_title as job_title,
        prof_full_time_equivalency as fte,
        -- the contract reads a missing agency flag as N
        coalesce(prof_agency_worker_flag = 'Y', false) as is_agency_worker
    from source
)

select * from renamed
