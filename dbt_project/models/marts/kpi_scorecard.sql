-- Every headline KPI in long format for dashboards, with its target and RAG status.
-- GREEN: target met; AMBER: within amber_band of it; RED: otherwise; null when the value is null.
-- is_latest_complete_month: the month before each LA's as-at month (which is still partial): the
-- month summaries, the report and the exports show. source_dataset: the dataset the value came from
-- (the version 1 marts read ssd; a version 2 mart says which dataset fed the LA's family).
with rhi as (
    select * from {{ ref('kpi_return_home_interviews') }}
),

front_door as (
    select * from {{ ref('kpi_front_door_decisions') }}
),

strategy as (
    select * from {{ ref('kpi_strategy_discussion_attendance') }}
),

caseloads as (
    select * from {{ ref('kpi_caseloads') }}
),

referrals as (
    select * from {{ ref('kpi_referrals') }}
),

assessments as (
    select * from {{ ref('kpi_assessments') }}
),

child_protection as (
    select * from {{ ref('kpi_child_protection') }}
),

participation as (
    select * from {{ ref('kpi_cp_conference_participation') }}
),

looked_after as (
    select * from {{ ref('kpi_looked_after') }}
),

targets as (
    select * from {{ ref('kpi_targets') }}
),

measures as (
    select
        la_code,
        period_start,
        'rhi_offered' as kpi_id,
        rhi_offered::double as numerator,
        episodes_returned::double as denominator,
        pct_offered as value,
        'ssd' as source_dataset
    from rhi
    union all
    select
        la_code,
        period_start,
        'rhi_completed',
        rhi_completed,
        episodes_returned,
        pct_completed,
        'ssd'
    from rhi
    union all
    select
        la_code,
        period_start,
        'rhi_within_72h',
        rhi_completed_within_72h,
        episodes_returned - rhi_pending,
        pct_within_72h,
        'ssd'
    from rhi
    union all
    select
        la_code,
        period_start,
        'rhi_independent',
        rhi_independent,
        rhi_completed,
        pct_independent,
        'ssd'
    from rhi
    union all
    select
        la_code,
        period_start,
        'fd_decided_within_24h',
        decided_within_24h,
        contacts_received - pending,
        pct_within_24h,
        'ssd'
    from front_door
    union all
    select
        la_code,
        period_start,
        'fd_decided_within_1_working_day',
        decided_within_1_working_day,
        contacts_received - pending_1_working_day,
        pct_within_1_working_day,
        'ssd'
    from front_door
    union all
    select
        la_code,
        period_start,
        'sd_health_attended',
        health_attended,
        discussions,
        pct_health,
        'ssd'
    from strategy
    union all
    select
        la_code,
        period_start,
        'sd_police_attended',
        police_attended,
        discussions,
        pct_police,
        'ssd'
    from strategy
    union all
    select
        la_code,
        period_start,
        'sd_health_and_police_attended',
        health_and_police_attended,
        discussions,
        pct_health_and_police,
        'ssd'
    from strategy
    union all
    select
        la_code,
        period_start,
        'caseload_per_fte',
        cases,
        case_holding_fte,
        caseload_per_fte,
        'ssd'
    from caseloads
    union all
    select
        la_code,
        period_start,
        'caseload_workers_over_threshold',
        workers_over_threshold,
        case_holding_workers,
        workers_over_threshold,
        'ssd'
    from caseloads
    union all
    select
        la_code,
        period_start,
        're_referrals_12m',
        re_referrals_12m,
        referrals,
        pct_re_referrals_12m,
        source_dataset
    from referrals
    union all
    select
        la_code,
        period_start,
        'seen_within_5wd',
        seen_within_5wd,
        seen_due - seen_pending,
        pct_seen_within_5wd,
        source_dataset
    from referrals
    union all
    select
        la_code,
        period_start,
        'sh_seen_within_1wd',
        sh_seen_within_1wd,
        sh_due - sh_pending,
        pct_sh_seen_within_1wd,
        source_dataset
    from referrals
    union all
    select
        la_code,
        period_start,
        'assessments_within_45wd',
        completed_within_45wd,
        assessments_completed,
        pct_within_45wd,
        source_dataset
    from assessments
    union all
    select
        la_code,
        period_start,
        'icpc_within_15wd',
        icpc_within_15wd,
        icpcs_after_s47,
        pct_icpc_within_15wd,
        source_dataset
    from child_protection
    union all
    select
        la_code,
        period_start,
        'cp_plans_repeat',
        cp_plans_repeat,
        cp_plans_started,
        pct_cp_plans_repeat,
        source_dataset
    from child_protection
    union all
    select
        la_code,
        period_start,
        'cp_child_views_conveyed',
        views_conveyed,
        eligible,
        pct_views_conveyed,
        source_dataset
    from participation
    union all
    select
        la_code,
        period_start,
        'lac_rate_per_10k',
        -- no numerator without a population, so regional sums add only LAs with a rate
        case when population_0_17 is not null then looked_after end,
        population_0_17,
        rate_per_10k,
        source_dataset
    from looked_after
    union all
    select
        la_code,
        period_start,
        'lac_vs_trajectory',
        vs_trajectory,
        trajectory_target,
        vs_trajectory,
        source_dataset
    from looked_after
    union all
    select
        la_code,
        period_start,
        'lac_three_plus_placements',
        three_plus_placements_12m,
        looked_after,
        pct_three_plus_placements_12m,
        source_dataset
    from looked_after
),

final as (
    select
        (measures.la_code)::varchar as la_code,
        (measures.period_start)::date as period_start,
        (measures.kpi_id)::varchar as kpi_id,
        (measures.numerator)::double as numerator,
        (measures.denominator)::double as denominator,
        (measures.value)::double as value,
        (targets.target)::double as target,
        (targets.direction)::varchar as direction,
        (case
            when measures.value is null then null
            when targets.direction = 'higher_is_better'
                then
                    case
                        when measures.value >= targets.target then 'GREEN'
                        when measures.value >= targets.target - targets.amber_band then 'AMBER'
                        else 'RED'
                    end
            when measures.value <= targets.target then 'GREEN'
            when measures.value <= targets.target + targets.amber_band then 'AMBER'
            else 'RED'
        end)::varchar as rag,
        (targets.kpi_name)::varchar as kpi_name,
        (targets.unit)::varchar as unit,
        (targets.family)::varchar as kpi_family,
        (measures.source_dataset)::varchar as source_dataset,
        (measures.period_start = max(measures.period_start) over (partition by measures.la_code) - interval 1 month)::boolean as is_latest_complete_month
    from measures
    inner join targets on measures.kpi_id = targets.kpi_id
)

select * from final
where {{ only_changed_las() }}
