-- The scorecard at three levels, unsuppressed: each LA, each region (the sum of its loaded LAs) and
-- all loaded LAs, per month and KPI. Region and all-LA values are made from the summed numerators and
-- denominators by the KPI's value_formula (macro kpi_value). The shareable export reads this mart and
-- applies disclosure control; BI tools can use it for regional comparisons.
with scorecard as (
    select * from {{ ref('kpi_scorecard') }}
),

las as (
    select * from {{ ref('la_reference') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

la_level as (
    select
        'la' as level,
        scorecard.la_code as area_code,
        las.la_name as area_name,
        las.region,
        scorecard.period_start,
        scorecard.kpi_id,
        scorecard.numerator,
        scorecard.denominator,
        scorecard.value
    from scorecard
    inner join las on scorecard.la_code = las.la_code
),

summed as (
    select
        'region' as level,
        region as area_code,
        region as area_name,
        region,
        period_start,
        kpi_id,
        -- summed as exact decimals (counts, and FTEs of at most 6 places): a float sum depends on the
        -- order the rows come in, which an incremental build of kpi_scorecard changes
        {{ exact_sum('numerator') }} as numerator,
        {{ exact_sum('denominator') }} as denominator
    from la_level
    group by all
    union all
    select
        'all',
        'ALL',
        'All loaded LAs',
        null,
        period_start,
        kpi_id,
        {{ exact_sum('numerator') }},
        {{ exact_sum('denominator') }}
    from la_level
    group by all
),

final as (
    select
        cast(level as varchar) as level,
        cast(area_code as varchar) as area_code,
        cast(area_name as varchar) as area_name,
        cast(region as varchar) as region,
        cast(period_start as date) as period_start,
        cast(kpi_id as varchar) as kpi_id,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value
    from la_level
    union all
    select
        summed.level,
        summed.area_code,
        summed.area_name,
        summed.region,
        summed.period_start,
        summed.kpi_id,
        summed.numerator,
        summed.denominator,
        cast({{ kpi_value('targets.value_formula', 'summed.numerator', 'summed.denominator') }} as double)
    from summed
    inner join targets on summed.kpi_id = targets.kpi_id
)

select * from final
