-- Social-worker caseloads per LA on each snapshot date (kpi-definitions.md).
with snapshots as (
    select * from {{ ref('int_caseload_snapshot_dates') }}
    where la_code in (
        select la_code from {{ ref('int_extracts_current') }}
        where is_current
          and list_contains(tables_present, 'ssd_involvements')
          and list_contains(tables_present, 'ssd_professionals')
    )
),

{{ caseload_measures('snapshots') }}

select * from final
