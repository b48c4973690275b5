with source as (
    select * from {{ source('csc', 'ssd_cin_episodes') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        cine_referral_id as referral_id,
        cine_person_id as person_id,
        cine_referral_date as referral_date,
        cine_referral_source_code as source_code,
        cine_cin_primary_need_code as primary_need,
        -- the contract reads a missing flag as N
        coalesce(cine_referral_nfa = 'Y', false) as is_nfa,
        cine_close_date as close_date,
        cine_close_reason as close_reason,
        cine_child_seen_date as seen_date,
        coalesce(cine_significant_harm = 'Y', false) as is_significant_harm
    from source
)

select * from renamed
