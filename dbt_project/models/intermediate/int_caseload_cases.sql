-- Every case open on every snapshot date: an ALLOCATED_CASE_WORKER involvement with
-- start <= D and (no end, or end > D), in the team of the case (the involvement's team at the
-- time, else the professional's team).
with snapshots as (
    select * from {{ ref('int_caseload_snapshot_dates') }}
),

involvements as (
    select * from {{ ref('int_involvements_current') }}
    where professional_role = 'ALLOCATED_CASE_WORKER'
),

professionals as (
    select * from {{ ref('int_professionals_current') }}
),

final as (
    select
        snapshots.la_code,
        snapshots.snapshot_date,
        snapshots.period_start,
        involvements.involvement_id,
        involvements.person_id,
        involvements.professional_id,
        coalesce(involvements.team_id_at_time, professionals.team_id) as team_id,
        professionals.fte,
        professionals.is_agency_worker
    from snapshots
    inner join involvements
        on
            snapshots.la_code = involvements.la_code
            and snapshots.extract_date = involvements.extract_date
            and snapshots.snapshot_date >= involvements.start_date
            and (involvements.end_date is null or snapshots.snapshot_date < involvements.end_date)
    inner join professionals
        on
            involvements.la_code = professionals.la_code
            and involvements.extract_date = professionals.extract_date
            and involvements.professional_id = professionals.professional_id
)

select * from final
where {{ only_changed_las() }}
