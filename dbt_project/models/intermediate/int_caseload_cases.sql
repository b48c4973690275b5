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
        on involvements.la_code = snapshots.la_code
       and involvements.extract_date = snapshots.extract_date
       and involvements.start_date <= snapshots.snapshot_date
       and (involvements.end_date is null or involvements.end_date > snapshots.snapshot_date)
    inner join professionals
        on professionals.la_code = involvements.la_code
       and professionals.extract_date = involvements.extract_date
       and professionals.professional_id = involvements.professional_id
)

select * from final
