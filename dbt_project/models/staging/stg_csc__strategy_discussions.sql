with source as (
    select * from {{ source('csc', 'ext_strategy_discussions') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        stdi_discussion_id as discussion_id,
        stdi_person_id as person_id,
        stdi_referral_id as referral_id,
        stdi_discussion_date as held_at,
        stdi_s47_initiated as s47_initiated
    from source
)

select * from renamed
