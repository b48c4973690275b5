-- Children looked after on each month's snapshot date D (kpi-definitions.md, version 2): the number,
-- periods of care started and ended in the month, the rate per 10,000 children, the placement mix,
-- young children in residential care, placement stability, and the council's planned trajectory.
-- Rows for each LA whose looked-after source holds episodes of care. Placement stability looks back
-- 12 months from D: null when that look-back starts before the data start (SSDA903 returns).
with months as (
    select
        *,
        data_start is null or {{ minus_months('snapshot_date', 12) }} >= data_start as has_look_back
    from {{ ref('int_family_months') }}
    where family = 'looked_after'
),

children as (
    select * from {{ ref('int_looked_after_on_snapshot') }}
),

episodes as (
    select * from {{ ref('int_cla_episodes_current') }}
    where not is_short_break
),

population as (
    select * from {{ ref('population_0_17') }}
),

trajectory as (
    select * from {{ ref('int_lac_trajectory_on_snapshot') }}
),

on_snapshot as (
    select
        months.la_code,
        months.period_start,
        count(children.person_id) as looked_after,
        {%- for group in ['fostering_kinship', 'fostering_in_house', 'fostering_agency', 'fostering_other',
                          'residential', 'supported_accommodation', 'placed_with_parents',
                          'placed_for_adoption', 'other_placement'] %}
            count(*) filter (where children.placement_group = '{{ group }}') as {{ group }},
        {%- endfor %}
        count(*) filter (where children.placement_group = 'residential' and children.age_on_snapshot < 11)
            as under_11_residential,
        count(*) filter (where children.placements_12m >= 3) as three_plus_placements_12m
    from months
    left join children on months.la_code = children.la_code and months.period_start = children.period_start
    group by all
),

started as (
    select
        months.la_code,
        months.period_start,
        count(episodes.episode_id) as started
    from months
    left join episodes
        on
            months.la_code = episodes.la_code
            and episodes.start_reason = 'S'
            and months.period_start = cast(date_trunc('month', episodes.start_date) as date)
    group by all
),

ceased as (
    select
        months.la_code,
        months.period_start,
        count(episodes.episode_id) as ceased
    from months
    left join episodes
        on
            months.la_code = episodes.la_code
            and episodes.ceased_reason is not null
            and episodes.ceased_reason <> 'X1'
            and months.period_start = cast(date_trunc('month', episodes.ceased_date) as date)
    group by all
),

population_on_snapshot as (
    -- the mid-year (30 June) estimate of the latest 30 June on or before D, else the latest earlier
    -- year in the seed: DfE's 31 March 2017 rate divides by mid-2016
    select
        months.la_code,
        months.period_start,
        max_by(population.population_0_17, population.year) as population_0_17
    from months
    inner join population
        on
            months.la_code = population.la_code
            and population.year <= year(months.snapshot_date)
            - cast((months.snapshot_date < make_date(year(months.snapshot_date), 6, 30)) as integer)
    group by all
),

final as (
    select
        cast(months.la_code as varchar) as la_code,
        cast(months.period_start as date) as period_start,
        cast(months.snapshot_date as date) as snapshot_date,
        cast(on_snapshot.looked_after as bigint) as looked_after,
        cast(started.started as bigint) as started,
        cast(ceased.ceased as bigint) as ceased,
        cast(population_on_snapshot.population_0_17 as bigint) as population_0_17,
        cast((10000.0 * on_snapshot.looked_after / population_on_snapshot.population_0_17) as double) as rate_per_10k,
        cast(on_snapshot.fostering_kinship as bigint) as fostering_kinship,
        cast(on_snapshot.fostering_in_house as bigint) as fostering_in_house,
        cast(on_snapshot.fostering_agency as bigint) as fostering_agency,
        cast(on_snapshot.fostering_other as bigint) as fostering_other,
        cast(on_snapshot.residential as bigint) as residential,
        cast(on_snapshot.supported_accommodation as bigint) as supported_accommodation,
        cast(on_snapshot.placed_with_parents as bigint) as placed_with_parents,
        cast(on_snapshot.placed_for_adoption as bigint) as placed_for_adoption,
        cast(on_snapshot.other_placement as bigint) as other_placement,
        cast(on_snapshot.under_11_residential as bigint) as under_11_residential,
        cast((case when months.has_look_back then on_snapshot.three_plus_placements_12m end) as bigint)
            as three_plus_placements_12m,
        (case
            when months.has_look_back
                then {{ safe_pct('on_snapshot.three_plus_placements_12m', 'on_snapshot.looked_after') }}
        end)::double as pct_three_plus_placements_12m,
        cast(trajectory.trajectory_target as double) as trajectory_target,
        cast((on_snapshot.looked_after - trajectory.trajectory_target) as double) as vs_trajectory,
        cast(months.source_dataset as varchar) as source_dataset
    from months
    inner join on_snapshot on months.la_code = on_snapshot.la_code and months.period_start = on_snapshot.period_start
    inner join started
        on months.la_code = started.la_code and months.period_start = started.period_start
    inner join ceased
        on months.la_code = ceased.la_code and months.period_start = ceased.period_start
    left join population_on_snapshot
        on months.la_code = population_on_snapshot.la_code and months.period_start = population_on_snapshot.period_start
    left join trajectory on months.la_code = trajectory.la_code and months.snapshot_date = trajectory.snapshot_date
)

select * from final
where {{ only_changed_las() }}
