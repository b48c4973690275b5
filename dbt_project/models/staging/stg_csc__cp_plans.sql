with source as (
    select * from {{ source('csc', 'ssd_cp_plans') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        cppl_cp_plan_id as plan_id,
        cppl_person_id as person_id,
        cppl_icpc_id as conference_id,
        cppl_cp_plan_start_date as start_date,
        cppl_cp_plan_end_date as end_date,
        cppl_cp_plan_initial_category as initial_category,
        cppl_cp_plan_latest_category as latest_category,
        cast(cppl_previous_plans as bigint) as previous_plans
    from source
)

select * from renamed
