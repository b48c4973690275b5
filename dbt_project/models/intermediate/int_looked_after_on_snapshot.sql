-- Each child looked after on each month's snapshot date D of the looked-after family's window, with
-- the placement that counts (kpi-definitions.md, kpi_looked_after): short breaks (V3, V4) left out;
-- of two open episodes the later start, then the greater episode id (as text), gives the placement.
-- With the child's age on D and whether they had 3 or more placements in the 12 months to D.
with months as (
    select * from {{ ref('int_family_months') }}
    where family = 'looked_after' and {{ only_changed_las() }}
),

episodes as (
    select * from {{ ref('int_cla_episodes_current') }}
    where not is_short_break and {{ only_changed_las() }}
),

persons as (
    select * from {{ ref('int_looked_after_persons') }}
    where {{ only_changed_las() }}
),

open_on_snapshot as (
    -- open on D: start <= D and (no ceased date, or ceased after D)
    select
        months.la_code,
        months.period_start,
        months.snapshot_date,
        episodes.person_id,
        episodes.episode_id,
        {{ placement_group('episodes.placement_type', 'episodes.placement_provider') }} as placement_group
    from months
    inner join episodes
        on
            months.la_code = episodes.la_code
            and months.snapshot_date >= episodes.start_date
            and (episodes.ceased_date is null or months.snapshot_date < episodes.ceased_date)
    qualify row_number() over (
        partition by months.la_code, months.snapshot_date, episodes.person_id
        order by episodes.start_date desc, episodes.episode_id::varchar desc
    ) = 1
),

placements_12m as (
    -- episodes starting a placement (reasons S, P, B, T, U) in (minus_months(D, 12), D], plus 1 if
    -- the child was looked after on minus_months(D, 12)
    select
        children.la_code,
        children.snapshot_date,
        children.person_id,
        count(distinct episodes.episode_id) filter (
            where
            episodes.start_reason in ('S', 'P', 'B', 'T', 'U')
            and episodes.start_date > {{ minus_months('children.snapshot_date', 12) }}
            and episodes.start_date <= children.snapshot_date
        )
        + max(case
            when
                episodes.start_date <= {{ minus_months('children.snapshot_date', 12) }}
                and (
                    episodes.ceased_date is null
                    or episodes.ceased_date > {{ minus_months('children.snapshot_date', 12) }}
                )
                then 1
            else 0
        end) as placements_12m
    from open_on_snapshot as children
    inner join episodes
        on children.la_code = episodes.la_code and children.person_id = episodes.person_id
    group by all
),

final as (
    select
        open_on_snapshot.la_code,
        open_on_snapshot.period_start,
        open_on_snapshot.snapshot_date,
        open_on_snapshot.person_id,
        open_on_snapshot.episode_id,
        open_on_snapshot.placement_group,
        {{ age_in_years('persons.date_of_birth', 'open_on_snapshot.snapshot_date') }} as age_on_snapshot,
        placements_12m.placements_12m
    from open_on_snapshot
    inner join placements_12m
        on
            open_on_snapshot.la_code = placements_12m.la_code
            and open_on_snapshot.snapshot_date = placements_12m.snapshot_date
            and open_on_snapshot.person_id = placements_12m.person_id
    left join persons
        on open_on_snapshot.la_code = persons.la_code and open_on_snapshot.person_id = persons.person_id
)

select * from final
where {{ only_changed_las() }}
