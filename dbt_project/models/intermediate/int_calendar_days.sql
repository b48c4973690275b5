-- One row per day across the bank-holiday seed's years, with England and Wales working days and
-- their running number (kpi-definitions.md: next_working_day, add_working_days, working_days).
-- The only place working days are defined. A row whose arithmetic needs a date outside the seed's
-- years is excluded at load by the error check outside_calendar, never guessed; the not_null tests on
-- the deadlines guard that promise.
with holidays as (
    select * from {{ ref('bank_holidays_england_wales') }}
),

bounds as (
    select
        make_date(min(year(holiday_date)), 1, 1) as first_day,
        make_date(max(year(holiday_date)), 12, 31) as last_day
    from holidays
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as date_day
    from bounds
),

flagged as (
    select
        days.date_day,
        holidays.holiday_date is not null as is_bank_holiday,
        isodow(days.date_day) <= 5 and holidays.holiday_date is null as is_working_day
    from days
    left join holidays on days.date_day = holidays.holiday_date
),

final as (
    select
        date_day,
        is_bank_holiday,
        is_working_day,
        -- working days up to and including date_day: working_days(a, b) is the difference of two
        -- numbers, and add_working_days(d, n) the working day numbered n more than d
        sum(cast(is_working_day as integer)) over (order by date_day rows unbounded preceding) as working_day_number,
        -- the first working day strictly after date_day
        min(case when is_working_day then date_day end) over (
            order by date_day rows between 1 following and unbounded following
        ) as next_working_day
    from flagged
)

select * from final
