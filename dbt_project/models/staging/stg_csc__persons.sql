with source as (
    select * from {{ source('csc', 'ssd_person') }}
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
