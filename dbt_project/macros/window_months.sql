{#- One row per row of `relation` and calendar month of its reporting window (window_start_month ..
    as_at_month), with the month's snapshot date: its last day, except the as-at month, whose
    snapshot is the extract date itself (kpi-definitions.md, month-end snapshots). Dense marts join
    their counts onto these rows so a month with no activity shows zero, not a gap. -#}
{% macro window_months(relation) -%}
select
    *,
    least(cast(last_day(period_start) as date), extract_date) as snapshot_date
from (
    select
        * exclude (window_start_month, as_at_month),
        cast(unnest(generate_series(window_start_month, as_at_month, interval 1 month)) as date) as period_start
    from {{ relation }}
)
{%- endmacro %}
