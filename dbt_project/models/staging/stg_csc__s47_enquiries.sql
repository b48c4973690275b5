with source as (
    select * from {{ source('csc', 'ssd_s47_enquiry') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        s47e_s47_enquiry_id as enquiry_id,
        s47e_person_id as person_id,
        s47e_referral_id as referral_id,
        s47e_s47_start_date as start_date,
        s47e_s47_end_date as end_date,
        coalesce(s47e_icpc_not_required = 'Y', false) as is_icpc_not_required
    from source
)

select * from renamed
