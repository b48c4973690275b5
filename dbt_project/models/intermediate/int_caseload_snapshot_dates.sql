-- Caseload snapshot dates: the last day of each month in the reporting window, except the as-at
-- month, whose snapshot is the as-at date itself. Only for LAs whose current extract holds the
-- tables caseloads are made from (absent data is not zero).
with months as (
    select * from {{ ref('int_reporting_months') }}
    where
        list_contains(tables_present, 'ssd_involvements')
        and list_contains(tables_present, 'ssd_professionals')
),

final as (
    select
        la_code,
        extract_date,
        period_start,
        least(cast(last_day(period_start) as date), extract_date) as snapshot_date
    from months
)

select * from final
