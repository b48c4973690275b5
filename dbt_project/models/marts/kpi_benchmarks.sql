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

sources as (
    select * from {{ ref('int_family_sources') }}
),

looked_after_flows as (
    select
        kpi_looked_after.la_code,
        {{ year_to_31_march('kpi_looked_after.period_start') }} as year,
        -- a whole year: its 12 months, the last of them complete (an extract on or after 31 March)
        count(*) = 12
        and max(sources.extract_date) >= make_date({{ year_to_31_march('kpi_looked_after.period_start') }}, 3, 31)
            as is_whole_year,
        sum(kpi_looked_after.started) as started,
        sum(kpi_looked_after.ceased) as ceased,
        max(kpi_looked_after.looked_after) filter (where strftime(kpi_looked_after.snapshot_date, '%m-%d') = '03-31')
            as looked_after,
        max(kpi_looked_after.rate_per_10k) filter (where strftime(kpi_looked_after.snapshot_date, '%m-%d') = '03-31')
            as rate_per_10k
    from {{ ref('kpi_looked_after') }} as kpi_looked_after
    inner join sources on kpi_looked_after.la_code = sources.la_code and sources.family = 'looked_after'
    group by kpi_looked_after.la_code, year
),

referral_flows as (
    select
        kpi_referrals.la_code,
        {{ year_to_31_march('kpi_referrals.period_start') }} as year,
        -- a whole year: its 12 months, the last of them complete (an extract on or after 31 March)
        count(*) = 12
        and max(sources.extract_date) >= make_date({{ year_to_31_march('kpi_referrals.period_start') }}, 3, 31)
            as is_whole_year,
        sum(kpi_referrals.referrals) as referrals,
        sum(kpi_referrals.re_referrals_12m) as re_referrals_12m
    from {{ ref('kpi_referrals') }} as kpi_referrals
    inner join sources on kpi_referrals.la_code = sources.la_code and sources.family = 'journey'
    group by kpi_referrals.la_code, year
),

assessment_flows as (
    select
        kpi_assessments.la_code,
        {{ year_to_31_march('kpi_assessments.period_start') }} as year,
        -- a whole year: its 12 months, the last of them complete (an extract on or after 31 March)
        count(*) = 12
        and max(sources.extract_date) >= make_date({{ year_to_31_march('kpi_assessments.period_start') }}, 3, 31)
            as is_whole_year,
        sum(kpi_assessments.completed_within_45wd) as completed_within_45wd,
        sum(kpi_assessments.assessments_completed) as assessments_completed
    from {{ ref('kpi_assessments') }} as kpi_assessments
    inner join sources on kpi_assessments.la_code = sources.la_code and sources.family = 'journey'
    group by kpi_assessments.la_code, year
),

protection_flows as (
    select
        kpi_child_protection.la_code,
        {{ year_to_31_march('kpi_child_protection.period_start') }} as year,
        -- a whole year: its 12 months, the last of them complete (an extract on or after 31 March)
        count(*) = 12
        and max(sources.extract_date) >= make_date({{ year_to_31_march('kpi_child_protection.period_start') }}, 3, 31)
            as is_whole_year,
        sum(kpi_child_protection.icpc_within_15wd) as icpc_within_15wd,
        sum(kpi_child_protection.icpcs_after_s47) as icpcs_after_s47,
        sum(kpi_child_protection.cp_plans_repeat) as cp_plans_repeat,
        sum(kpi_child_protection.cp_plans_started) as cp_plans_started
    from {{ ref('kpi_child_protection') }} as kpi_child_protection
    inner join sources on kpi_child_protection.la_code = sources.la_code and sources.family = 'journey'
    group by kpi_child_protection.la_code, year
),

own as (
    -- whole years only
    select
        la_code,
        year,
        'lac_number' as benchmark_id,
        looked_after::double as own_value
    from looked_after_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'lac_rate_per_10k',
        rate_per_10k
    from looked_after_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'lac_started',
        started
    from looked_after_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'lac_ceased',
        ceased
    from looked_after_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'referrals',
        referrals
    from referral_flows
    where is_whole_year
    union all
    select
        referral_flows.la_code,
        referral_flows.year,
        'referral_rate_per_10k',
        10000.0 * referral_flows.referrals / population.population_0_17
    from referral_flows
    left join population
        on referral_flows.la_code = population.la_code and population.year = referral_flows.year - 1
    where referral_flows.is_whole_year
    union all
    select
        la_code,
        year,
        're_referrals_12m',
        {{ safe_pct('re_referrals_12m', 'referrals') }}
    from referral_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'assessments_within_45wd',
        {{ safe_pct('completed_within_45wd', 'assessments_completed') }}
    from assessment_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'icpc_within_15wd',
        {{ safe_pct('icpc_within_15wd', 'icpcs_after_s47') }}
    from protection_flows
    where is_whole_year
    union all
    select
        la_code,
        year,
        'cp_plans_repeat',
        {{ safe_pct('cp_plans_repeat', 'cp_plans_started') }}
    from protection_flows
    where is_whole_year
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
