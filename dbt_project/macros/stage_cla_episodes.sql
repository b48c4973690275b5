{#- Episodes of care of one dataset's extracts, renamed: the ssd tables and the SSDA903 returns fill
    the same contract table (raw.ssd_cla_episodes), so their staging models share this. -#}
{% macro stage_cla_episodes(dataset) -%}
with source as (
    select * from {{ source('csc', 'ssd_cla_episodes') }}
    where dataset = '{{ dataset }}'
),

renamed as (
    select
        la_code,
        extract_date,
        clae_cla_episode_id as episode_id,
        clae_person_id as person_id,
        clae_cla_episode_start_date as start_date,
        clae_cla_episode_start_reason as start_reason,
        clae_legal_status as legal_status,
        clae_cla_primary_need_code as primary_need,
        clae_placement_type as placement_type,
        clae_placement_provider as placement_provider,
        clae_cla_episode_ceased_date as ceased_date,
        clae_cla_episode_ceased_reason as ceased_reason,
        clae_placement_change_reason as placement_change_reason,
        -- short breaks (an agreed series of short-term placements) are not looked after in DfE figures
        clae_legal_status in ('V3', 'V4') as is_short_break
    from source
)

select * from renamed
{%- endmacro %}
