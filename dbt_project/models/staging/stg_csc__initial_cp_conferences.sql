with source as (
    select * from {{ source('csc', 'ssd_initial_cp_conference') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        icpc_icpc_id as conference_id,
        icpc_person_id as person_id,
        icpc_s47_enquiry_id as enquiry_id,
        icpc_icpc_date as conference_date,
        icpc_icpc_outcome_cp_flag = 'Y' as is_outcome_cp_plan,
        icpc_participation as participation
    from source
)

select * from renamed
