-- The value_formula of each KPI (seed kpi_targets, macro kpi_value) gives the value the KPI marts
-- computed for every LA and month: so region and all-LA figures made by the formula mean the same.
-- In Dagster it is an asset check on marts/kpi_scorecard.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_scorecard'}}}) }}
with scorecard as (
    select * from {{ ref('kpi_scorecard') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

recomputed as (
    select
        scorecard.*,
        {{ kpi_value('targets.value_formula', 'scorecard.numerator', 'scorecard.denominator') }} as formula_value
    from scorecard
    inner join targets on scorecard.kpi_id = targets.kpi_id
)

select *
from recomputed
where
    (value is null) <> (formula_value is null)
    or abs(value - formula_value) > 1e-9
