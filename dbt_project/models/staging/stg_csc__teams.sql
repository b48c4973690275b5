with source as (
    select * from {{ source('csc', 'ssd_department') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        dept_team_id as team_id,
        dept_team_name as team_name,
        dept_team_parent_name as service_area
    from source
)

select * from renamed
