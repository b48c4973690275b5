-- Episodes of care that feed the marts, from each LA's looked-after source (int_family_sources):
-- the current ssd extract less error-level exclusions, or the LA's SSDA903 returns stacked.
with ssd as (
    {{ current_rows('stg_csc__cla_episodes', 'ssd_cla_episodes', 'episode_id') }}
),

ssda903 as (
    select * exclude (is_bounded) from {{ ref('int_ssda903_episodes_stacked') }}
),

final as (
    {{ family_source_rows('looked_after', {'ssd': 'ssd', 'ssda903': 'ssda903'}) }}
)

select * from final
where {{ only_changed_las() }}
