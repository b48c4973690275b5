{#- The caseload measures of kpi-definitions.md over int_caseload_cases, for one row of `spine`
    (a relation with la_code, snapshot_date, period_start and the extra `keys`). With keys=['team_id']
    a worker counts as a case holder in every team where they hold a case, with their full FTE and
    agency flag, and max_caseload / workers_over_threshold use their cases in that team. -#}
{% macro caseload_measures(spine, keys=[]) -%}
    {%- set join_keys = ['la_code', 'snapshot_date'] + keys -%}
cases as (
    select * from {{ ref('int_caseload_cases') }}
    where {{ only_changed_las() }}
),

worker_cases as (
    select
        {{ join_keys | join(', ') }},
        professional_id,
        count(*) as cases,
        any_value(fte) as fte,
        any_value(is_agency_worker) as is_agency_worker
    from cases
    group by all
),

case_totals as (
    select
        {{ join_keys | join(', ') }},
        count(*) as cases,
        count(distinct person_id) as children_allocated
    from cases
    group by all
),

worker_totals as (
    select
        {{ join_keys | join(', ') }},
        count(*) as case_holding_workers,
        {{ exact_sum('fte') }} as case_holding_fte,
        max(cases) as max_caseload,
        count(*) filter (where cases > {{ var('caseload_threshold') }}) as workers_over_threshold,
        count(*) filter (where is_agency_worker) as agency_case_holders
    from worker_cases
    group by all
),

measured as (
    select
        spine.*,
        coalesce(case_totals.cases, 0) as cases,
        coalesce(case_totals.children_allocated, 0) as children_allocated,
        coalesce(worker_totals.case_holding_workers, 0) as case_holding_workers,
        coalesce(worker_totals.case_holding_fte, 0.0) as case_holding_fte,
        coalesce(worker_totals.max_caseload, 0) as max_caseload,
        coalesce(worker_totals.workers_over_threshold, 0) as workers_over_threshold,
        coalesce(worker_totals.agency_case_holders, 0) as agency_case_holders
    from {{ spine }} as spine
    left join case_totals using ({{ join_keys | join(', ') }})
    left join worker_totals using ({{ join_keys | join(', ') }})
),

final as (
    select
        cast(la_code as varchar) as la_code,
    {%- for key in keys %}
        cast({{ key }} as varchar) as {{ key }},
    {%- endfor %}
    {%- if 'team_id' in keys %}
        cast(team_name as varchar) as team_name,
    {%- endif %}
        cast(snapshot_date as date) as snapshot_date,
        cast(period_start as date) as period_start,
        cast(cases as bigint) as cases,
        cast(children_allocated as bigint) as children_allocated,
        cast(case_holding_workers as bigint) as case_holding_workers,
        cast(case_holding_fte as double) as case_holding_fte,
        cast(case when case_holding_workers = 0 then null else cases / case_holding_workers end as double)
            as avg_caseload,
        cast(case when case_holding_fte = 0 then null else cases / case_holding_fte end as double)
            as caseload_per_fte,
        cast(max_caseload as bigint) as max_caseload,
        cast(workers_over_threshold as bigint) as workers_over_threshold,
        cast(agency_case_holders as bigint) as agency_case_holders,
        cast({{ safe_pct('agency_case_holders', 'case_holding_workers') }} as double) as pct_agency
    from measured
)
{%- endmacro %}
