-- Each assessment that feeds the marts with its working days from start to authorisation
-- (working_days(a, b): the working days w with a < w <= b, from int_calendar_days' running number).
-- An assessment bounded by a newer CIN census ends on `auth_date` but was never completed.
with assessments as (
    select * from {{ ref('int_cin_assessments_current') }}
),

calendar as (
    select * from {{ ref('int_calendar_days') }}
),

final as (
    select
        assessments.la_code,
        assessments.extract_date,
        assessments.assessment_id,
        assessments.person_id,
        assessments.start_date,
        assessments.auth_date,
        start_day.working_day_number as start_working_day_number,
        cast(date_trunc('month', assessments.start_date) as date) as started_period,
        case
            when not assessments.is_bounded then cast(date_trunc('month', assessments.auth_date) as date)
        end as completed_period,
        case
            when not assessments.is_bounded then auth_day.working_day_number - start_day.working_day_number
        end as working_days_to_auth
    from assessments
    left join calendar as start_day on assessments.start_date = start_day.date_day
    left join calendar as auth_day on assessments.auth_date = auth_day.date_day
)

select * from final
where {{ only_changed_las() }}
