with source as (
    select * from {{ source('csc', 'ssd_cp_reviews') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        cppr_cp_review_id as review_id,
        cppr_person_id as person_id,
        cppr_cp_plan_id as plan_id,
        cppr_cp_review_date as review_date,
        cppr_cp_review_participation as participation
    from source
)

select * from renamed
