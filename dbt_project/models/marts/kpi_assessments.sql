-- Child and family assessments by month (kpi-definitions.md, version 2): started, completed
-- (authorised: the DfE basis) within 45 working days, the DfE duration bands, the median, and the
-- assessments open on the month's snapshot date. Rows for each LA whose child's-journey source holds
-- the assessments.
with months as (
    select * from {{ ref('int_family_months') }}
    where family = 'journey' and list_contains(tables_present, 'ssd_cin_assessments') and {{ only_changed_las() }}
),

assessments as (
    select * from {{ ref('int_assessments_timed') }}
    where {{ only_changed_las() }}
),

calendar as (
    select * from {{ ref('int_calendar_days') }}
),

started as (
    select
        months.la_code,
        months.period_start,
        count(assessments.assessment_id) as assessments_started
    from months
    left join assessments
        on months.la_code = assessments.la_code and months.period_start = assessments.started_period
    group by all
),

completed as (
    select
        months.la_code,
        months.period_start,
        count(assessments.assessment_id) as assessments_completed,
        count(*) filter (where assessments.working_days_to_auth <= 45) as completed_within_45wd,
        count(*) filter (where assessments.working_days_to_auth = 0) as wd_0,
        count(*) filter (where assessments.working_days_to_auth between 1 and 10) as wd_1_10,
        count(*) filter (where assessments.working_days_to_auth between 11 and 20) as wd_11_20,
        count(*) filter (where assessments.working_days_to_auth between 21 and 30) as wd_21_30,
        count(*) filter (where assessments.working_days_to_auth between 31 and 40) as wd_31_40,
        count(*) filter (where assessments.working_days_to_auth between 41 and 45) as wd_41_45,
        count(*) filter (where assessments.working_days_to_auth between 46 and 50) as wd_46_50,
        count(*) filter (where assessments.working_days_to_auth between 51 and 60) as wd_51_60,
        count(*) filter (where assessments.working_days_to_auth >= 61) as wd_61_plus,
        quantile_cont(assessments.working_days_to_auth, 0.5) as median_working_days
    from months
    left join assessments
        on months.la_code = assessments.la_code and months.period_start = assessments.completed_period
    group by all
),

open_on_snapshot as (
    -- open on D: start <= D and (no authorisation, or authorised after D)
    select
        months.la_code,
        months.period_start,
        months.snapshot_date,
        months.source_dataset,
        count(assessments.assessment_id) as open_on_snapshot,
        count(*) filter (
            where snapshot_day.working_day_number - assessments.start_working_day_number > 45
        ) as open_over_45wd_on_snapshot
    from months
    left join calendar as snapshot_day on months.snapshot_date = snapshot_day.date_day
    left join assessments
        on
            months.la_code = assessments.la_code
            and months.snapshot_date >= assessments.start_date
            and (assessments.auth_date is null or months.snapshot_date < assessments.auth_date)
    group by all
),

final as (
    select
        open_on_snapshot.la_code::varchar as la_code,
        open_on_snapshot.period_start::date as period_start,
        open_on_snapshot.snapshot_date::date as snapshot_date,
        started.assessments_started::bigint as assessments_started,
        completed.assessments_completed::bigint as assessments_completed,
        completed.completed_within_45wd::bigint as completed_within_45wd,
        {{ safe_pct('completed.completed_within_45wd', 'completed.assessments_completed') }}::double
            as pct_within_45wd,
        completed.wd_0::bigint as wd_0,
        completed.wd_1_10::bigint as wd_1_10,
        completed.wd_11_20::bigint as wd_11_20,
        completed.wd_21_30::bigint as wd_21_30,
        completed.wd_31_40::bigint as wd_31_40,
        completed.wd_41_45::bigint as wd_41_45,
        completed.wd_46_50::bigint as wd_46_50,
        completed.wd_51_60::bigint as wd_51_60,
        completed.wd_61_plus::bigint as wd_61_plus,
        completed.median_working_days::double as median_working_days,
        open_on_snapshot.open_on_snapshot::bigint as open_on_snapshot,
        open_on_snapshot.open_over_45wd_on_snapshot::bigint as open_over_45wd_on_snapshot,
        open_on_snapshot.source_dataset::varchar as source_dataset
    from open_on_snapshot
    inner join started
        on open_on_snapshot.la_code = started.la_code and open_on_snapshot.period_start = started.period_start
    inner join completed
        on open_on_snapshot.la_code = completed.la_code and open_on_snapshot.period_start = completed.period_start
)

select * from final
where {{ only_changed_las() }}
