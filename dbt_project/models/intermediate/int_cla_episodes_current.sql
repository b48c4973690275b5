-- Episodes of care that feed the marts, from each LA's looked-after source (int_family_sources):
-- the current ssd extract less error-level exclusions, or the LA's SSDA903 returns stacked.
with sources as (
    select
        la_code,
        source_dataset
    from {{ ref('int_family_sources') }}
    where family = 'looked_after'
),

ssd as (
    {{ current_rows('stg_csc__cla_episodes', 'ssd_cla_episodes', 'episode_id') }}
),

ssda903 as (
    select * exclude (is_bounded) from {{ ref('int_ssda903_episodes_stacked') }}
),

final as (
    select ssd.*
    from ssd
    inner join sources on ssd.la_code = sources.la_code and sources.source_dataset = 'ssd'
    union all by name
    select ssda903.*
    from ssda903
    inner join sources on ssda903.la_code = sources.la_code and sources.source_dataset = 'ssda903'
)

select * from final
