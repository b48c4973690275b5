-- Each council's own figure for a year to 31 March, computed by the warehouse, beside the DfE's
-- published figure for it, its statistical neighbours' mean, its region and England (seeds
-- dfe_published_measures, statistical_neighbours, kpi_benchmark_measures: the mapping and each
-- definitional difference). A year's own figure needs the whole year in the marts (12 months, and a
-- March snapshot on 31 March); otherwise it is null and the published figures stand alone.
with measures as (
    select * from {{ ref('kpi_benchmark_measures') }}
),

published as (
    select * from {{ ref('dfe_published_measures') }}
),

neighbours as (
    select * from {{ ref('statistical_neighbours') }}
    where model = '{{ var("statistical_neighbour_model") }}'
),

population as (
    select * from {{ ref('population_0_17') }}
),

councils as (
    select distinct la_code from {{ ref('int_extracts_current') }}
    where is_current
),

looked_after_years as (
    {{ whole_years('kpi_looked_after', 'looked_after', [
        'sum(m.started) as started', 'sum(m.ceased) as ceased',
        "max(m.looked_after) filter (where strftime(m.snapshot_date, '%m-%d') = '03-31') as looked_after",
        "max(m.rate_per_10k) filter (where strftime(m.snapshot_date, '%m-%d') = '03-31') as rate_per_10k",
    ]) }}
),

referral_years as (
    {{ whole_years('kpi_referrals', 'journey', ['sum(m.referrals) as referrals',
                                               'sum(m.re_referrals_12m) as re_referrals_12m']) }}
),

assessment_years as (
    {{ whole_years('kpi_assessments', 'journey', ['sum(m.completed_within_45wd) as completed_within_45wd',
                                                  'sum(m.assessments_completed) as assessments_completed']) }}
),

protection_years as (
    {{ whole_years('kpi_child_protection', 'journey', [
        'sum(m.icpc_within_15wd) as icpc_within_15wd', 'sum(m.icpcs_after_s47) as icpcs_after_s47',
        'sum(m.cp_plans_repeat) as cp_plans_repeat', 'sum(m.cp_plans_started) as cp_plans_started',
    ]) }}
),

own_by_family as (
    -- one column per benchmark_id (seed kpi_benchmark_measures), whole years only
    select
        la_code,
        year,
        looked_after::double as lac_number,
        rate_per_10k::double as lac_rate_per_10k,
        started::double as lac_started,
        ceased::double as lac_ceased
    from looked_after_years
    where is_whole_year
    union all by name
    select
        referral_years.la_code,
        referral_years.year,
        referral_years.referrals::double as referrals,
        (10000.0 * referral_years.referrals / population.population_0_17)::double as referral_rate_per_10k,
        {{ safe_pct('referral_years.re_referrals_12m', 'referral_years.referrals') }}::double as re_referrals_12m
    from referral_years
    left join population
        on referral_years.la_code = population.la_code and population.year = referral_years.year - 1
    where referral_years.is_whole_year
    union all by name
    select
        la_code,
        year,
        {{ safe_pct('completed_within_45wd', 'assessments_completed') }}::double as assessments_within_45wd
    from assessment_years
    where is_whole_year
    union all by name
    select
        la_code,
        year,
        {{ safe_pct('icpc_within_15wd', 'icpcs_after_s47') }}::double as icpc_within_15wd,
        {{ safe_pct('cp_plans_repeat', 'cp_plans_started') }}::double as cp_plans_repeat
    from protection_years
    where is_whole_year
),

own as (
    -- long: a row per benchmark with a value (UNPIVOT leaves out nulls)
    unpivot own_by_family
    on columns(* exclude (la_code, year))
    into name benchmark_id value own_value
),

la_published as (
    select
        measure_code,
        area_code as la_code,
        year,
        value
    from published
    where area_level = 'la'
),

regions as (
    select distinct
        area_code as la_code,
        lait_region as region_name
    from published
    where area_level = 'la'
),

neighbours_published as (
    select
        neighbours.la_code,
        la_published.measure_code,
        la_published.year,
        -- summed as decimals: a double sum depends on the order of its terms, and the marts must not
        avg(la_published.value::decimal(18, 6)) as neighbours_mean,
        count(*) as neighbours_with_value
    from neighbours
    inner join la_published on neighbours.neighbour_la_code = la_published.la_code
    group by all
),

keys as (
    -- every council loaded x benchmark x year with an own or a published figure
    select
        councils.la_code,
        measures.benchmark_id,
        measures.measure_code,
        la_published.year
    from councils
    cross join measures
    inner join la_published
        on councils.la_code = la_published.la_code and measures.measure_code = la_published.measure_code
    union
    select
        own.la_code,
        own.benchmark_id,
        measures.measure_code,
        own.year
    from own
    inner join measures on own.benchmark_id = measures.benchmark_id
),

final as (
    select
        keys.la_code::varchar as la_code,
        keys.year::integer as year,
        make_date(keys.year, 3, 31)::date as year_end,
        keys.benchmark_id::varchar as benchmark_id,
        keys.measure_code::varchar as measure_code,
        measures.benchmark_name::varchar as benchmark_name,
        measures.unit::varchar as unit,
        own.own_value::double as own_value,
        la_published.value::double as published_value,
        (own.own_value - la_published.value)::double as own_minus_published,
        neighbours_published.neighbours_mean::double as neighbours_mean,
        coalesce(neighbours_published.neighbours_with_value, 0)::bigint as neighbours_with_value,
        '{{ var("statistical_neighbour_model") }}'::varchar as neighbour_model,
        regions.region_name::varchar as region_name,
        region_published.value::double as region_value,
        england_published.value::double as england_value
    from keys
    inner join measures on keys.benchmark_id = measures.benchmark_id
    left join own
        on keys.la_code = own.la_code and keys.benchmark_id = own.benchmark_id and keys.year = own.year
    left join la_published
        on
            keys.la_code = la_published.la_code and keys.measure_code = la_published.measure_code
            and keys.year = la_published.year
    left join neighbours_published
        on
            keys.la_code = neighbours_published.la_code and keys.measure_code = neighbours_published.measure_code
            and keys.year = neighbours_published.year
    left join regions on keys.la_code = regions.la_code
    left join published as region_published
        on
            region_published.area_level = 'region' and regions.region_name = region_published.area_name
            and keys.measure_code = region_published.measure_code and keys.year = region_published.year
    left join published as england_published
        on
            england_published.area_level = 'england' and keys.measure_code = england_published.measure_code
            and keys.year = england_published.year
)

select * from final
