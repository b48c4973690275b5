-- Caseload snapshot dates (int_reporting_months.snapshot_date), only for LAs whose current extract
-- holds the tables caseloads are made from (absent data is not zero).
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
        snapshot_date
    from months
)

select * from final
where {{ only_changed_las() }}
