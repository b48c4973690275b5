-- Section 47 enquiries, initial conferences (within 15 working days of the enquiry's start) and
-- child-protection plans (started, repeat, ended, open and open two years or more on the month's
-- snapshot) by month (kpi-definitions.md, version 2). Rows for each LA whose child's-journey source
-- holds any of the three tables; a column drawn from a table the source lacks is null, not 0.
with months as (
    select
        *,
        list_contains(tables_present, 'ssd_s47_enquiry') as has_enquiries,
        list_contains(tables_present, 'ssd_initial_cp_conference') as has_conferences,
        list_contains(tables_present, 'ssd_cp_plans') as has_plans
    from {{ ref('int_family_months') }}
    where
        family = 'journey'
        and (
            list_contains(tables_present, 'ssd_s47_enquiry')
            or list_contains(tables_present, 'ssd_initial_cp_conference')
            or list_contains(tables_present, 'ssd_cp_plans')
        )
        and {{ only_changed_las() }}
),

enquiries as (
    select * from {{ ref('int_s47_enquiries_current') }}
    where {{ only_changed_las() }}
),

conferences as (
    select * from {{ ref('int_initial_cp_conferences_timed') }}
    where {{ only_changed_las() }}
),

plans as (
    select * from {{ ref('int_cp_plans_flagged') }}
    where {{ only_changed_las() }}
),

enquiries_started as (
    select
        months.la_code,
        months.period_start,
        count(enquiries.enquiry_id) as s47_started
    from months
    left join enquiries
        on
            months.la_code = enquiries.la_code
            and months.period_start = cast(date_trunc('month', enquiries.start_date) as date)
    group by all
),

conferences_held as (
    select
        months.la_code,
        months.period_start,
        count(conferences.conference_id) as icpcs,
        count(*) filter (where conferences.is_after_s47) as icpcs_after_s47,
        count(*) filter (where conferences.is_after_s47 and conferences.is_within_15wd) as icpc_within_15wd
    from months
    left join conferences
        on months.la_code = conferences.la_code and months.period_start = conferences.period_start
    group by all
),

plans_started as (
    select
        months.la_code,
        months.period_start,
        count(plans.plan_id) as cp_plans_started,
        count(*) filter (where plans.is_repeat) as cp_plans_repeat
    from months
    left join plans on months.la_code = plans.la_code and months.period_start = plans.started_period
    group by all
),

plans_ended as (
    select
        months.la_code,
        months.period_start,
        count(plans.plan_id) as cp_plans_ended
    from months
    left join plans on months.la_code = plans.la_code and months.period_start = plans.ended_period
    group by all
),

plans_open as (
    -- open on D: start <= D and (no end, or end after D)
    select
        months.la_code,
        months.period_start,
        count(plans.plan_id) as cp_plans_open,
        count(*) filter (where plans.start_date <= {{ minus_months('months.snapshot_date', 24) }}) as cp_plans_open_2y_plus
    from months
    left join plans
        on
            months.la_code = plans.la_code
            and months.snapshot_date >= plans.start_date
            and (plans.end_date is null or months.snapshot_date < plans.end_date)
    group by all
),

final as (
    select
        cast(months.la_code as varchar) as la_code,
        cast(months.period_start as date) as period_start,
        cast(months.snapshot_date as date) as snapshot_date,
        cast((case when months.has_enquiries then enquiries_started.s47_started end) as bigint) as s47_started,
        cast((case when months.has_conferences then conferences_held.icpcs end) as bigint) as icpcs,
        cast((case when months.has_conferences and months.has_enquiries then conferences_held.icpcs_after_s47 end) as bigint)
            as icpcs_after_s47,
        cast((case when months.has_conferences and months.has_enquiries then conferences_held.icpc_within_15wd end) as bigint)
            as icpc_within_15wd,
        (case
            when months.has_conferences and months.has_enquiries
                then
                    {{ safe_pct('conferences_held.icpc_within_15wd', 'conferences_held.icpcs_after_s47') }}
        end)::double as pct_icpc_within_15wd,
        cast((case when months.has_plans then plans_started.cp_plans_started end) as bigint) as cp_plans_started,
        cast((case when months.has_plans then plans_started.cp_plans_repeat end) as bigint) as cp_plans_repeat,
        (case
            when months.has_plans
                then
                    {{ safe_pct('plans_started.cp_plans_repeat', 'plans_started.cp_plans_started') }}
        end)::double as pct_cp_plans_repeat,
        cast((case when months.has_plans then plans_ended.cp_plans_ended end) as bigint) as cp_plans_ended,
        cast((case when months.has_plans then plans_open.cp_plans_open end) as bigint) as cp_plans_open,
        cast((case when months.has_plans then plans_open.cp_plans_open_2y_plus end) as bigint) as cp_plans_open_2y_plus,
        cast(months.source_dataset as varchar) as source_dataset
    from months
    inner join enquiries_started on months.la_code = enquiries_started.la_code and months.period_start = enquiries_started.period_start
    inner join conferences_held
        on months.la_code = conferences_held.la_code and months.period_start = conferences_held.period_start
    inner join plans_started
        on months.la_code = plans_started.la_code and months.period_start = plans_started.period_start
    inner join plans_ended
        on months.la_code = plans_ended.la_code and months.period_start = plans_ended.period_start
    inner join plans_open
        on months.la_code = plans_open.la_code and months.period_start = plans_open.period_start
)

select * from final
where {{ only_changed_las() }}
