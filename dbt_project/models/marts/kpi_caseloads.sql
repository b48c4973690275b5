-- Social-worker caseloads per LA on each snapshot date (kpi-definitions.md).
with snapshots as (
    select * from {{ ref('int_caseload_snapshot_dates') }}
    where {{ only_changed_las() }}
),

{{ caseload_measures('snapshots') }}

select * from final
where {{ only_changed_las() }}
