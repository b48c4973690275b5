with source as (
    select * from {{ source('csc', 'ssd_cin_assessments') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        cina_assessment_id as assessment_id,
        cina_person_id as person_id,
        cina_referral_id as referral_id,
        cina_assessment_start_date as start_date,
        cina_assessment_auth_date as auth_date,
        coalesce(cina_assessment_outcome_nfa = 'Y', false) as is_outcome_nfa
    from source
)

select * from renamed
