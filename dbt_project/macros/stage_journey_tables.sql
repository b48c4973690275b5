{#- The child's-journey tables of one dataset's extracts, renamed: the ssd tables and the CIN census fill
    the same contract tables (raw.ssd_cin_episodes ...), so their staging models share these. -#}

{% macro stage_cin_episodes(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_cin_episodes') }}
    where dataset = '{{ dataset }}'
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
{%- endmacro %}

{% macro stage_cin_assessments(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_cin_assessments') }}
    where dataset = '{{ dataset }}'
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
{%- endmacro %}

{% macro stage_s47_enquiries(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_s47_enquiry') }}
    where dataset = '{{ dataset }}'
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
{%- endmacro %}

{% macro stage_initial_cp_conferences(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_initial_cp_conference') }}
    where dataset = '{{ dataset }}'
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
{%- endmacro %}

{% macro stage_cp_plans(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_cp_plans') }}
    where dataset = '{{ dataset }}'
),

renamed as (
    select
        la_code,
        extract_date,
        cppl_cp_plan_id as plan_id,
        cppl_person_id as person_id,
        cppl_icpc_id as conference_id,
        cppl_cp_plan_start_date as start_date,
        cppl_cp_plan_end_date as end_date,
        cppl_cp_plan_initial_category as initial_category,
        cppl_cp_plan_latest_category as latest_category,
        cast(cppl_previous_plans as bigint) as previous_plans
    from source
)

select * from renamed
{%- endmacro %}

{% macro stage_cp_reviews(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_cp_reviews') }}
    where dataset = '{{ dataset }}'
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
{%- endmacro %}
