with source as (
    select * from {{ source('csc', 'ssd_contacts') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        cont_contact_id as contact_id,
        cont_person_id as person_id,
        cont_contact_date as received_at,
        coalesce(cont_contact_source_code, '10') as source_code,
        cont_decision_date as decided_at,
        cont_contact_outcome as outcome
    from source
)

select * from renamed
