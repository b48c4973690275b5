-- Social-worker caseloads per team (every team in ssd_department) on each snapshot date.
with teams as (
    select * from {{ ref('int_teams_current') }}
    where {{ only_changed_las() }}
),

snapshots as (
    select
        snapshot_dates.*,
        teams.team_id,
        teams.team_name
    from {{ ref('int_caseload_snapshot_dates') }} as snapshot_dates
    inner join teams on snapshot_dates.la_code = teams.la_code
),

{{ caseload_measures('snapshots', keys=['team_id']) }}

select * from final
where {{ only_changed_las() }}
