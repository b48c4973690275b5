with source as (
    select * from {{ source('csc', 'ssd_person') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        pers_person_id as person_id,
        pers_sex as sex,
        pers_dob as date_of_birth,
        pers_expected_dob as expected_date_of_birth,
        pers_ethnicity as ethnicity,
        pers_death_date as date_of_death
    from source
)

select * from renamed
