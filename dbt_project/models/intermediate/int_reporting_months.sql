-- One row per LA with a current extract and calendar month of its reporting window (dense marts
-- join their counts onto this spine so a month with no activity shows zero, not a gap), with the
-- month's snapshot date: its last day, except the as-at month, whose snapshot is the extract date.
with current_extracts as (
    select * from {{ ref('int_extracts_current') }}
    where {{ current_ssd_extract() }}
),

months as (
    select
        la_code,
        extract_date,
        as_at,
        tables_present,
        cast(unnest(generate_series(window_start_month, as_at_month, interval 1 month)) as date) as period_start
    from current_extracts
),

final as (
    select
        *,
        least(cast(last_day(period_start) as date), extract_date) as snapshot_date
    from months
)

select * from final
