-- Social-worker caseloads per LA on each snapshot date (kpi-definitions.md).
with snapshots as (
    select * from {{ ref('int_caseload_snapshot_dates') }}
),

{{ caseload_measures('snapshots') }}

select * from final
