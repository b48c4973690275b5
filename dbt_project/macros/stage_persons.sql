{#- Children of one dataset's extracts, renamed (ssd_person; the SSDA903 header and the CIN census
    child fill the same contract table). -#}
{% macro stage_persons(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_person') }}
    where dataset = '{{ dataset }}'
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
{%- endmacro %}
