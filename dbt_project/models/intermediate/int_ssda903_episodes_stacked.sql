-- The episodes of care of an LA's SSDA903 returns stacked into one history (statutory-returns.md,
-- "Stacking"; macro stacked_return_rows): the newest return's row per key (CHILD|DECOM); from the
-- coverage start C of the nearest newer return, an episode that ceased before C is kept, one open on
-- C is bounded at C (ceased on C with no reason: it counts in no `ceased`), one starting on or after C
-- is dropped. The 903's own exception: a bounded episode is dropped when a newer return loaded an
-- episode of the same child that started before C (that return carries the child across C, so this
-- row was corrected away).
with returns as (
    select * from {{ ref('int_statutory_returns') }}
    where dataset = 'ssda903'
),

episodes as (
    -- every loaded row of an unblocked return, excluded or not
    select staged.*
    from {{ ref('stg_ssda903__episodes') }} as staged
    inner join returns on staged.la_code = returns.la_code and staged.extract_date = returns.extract_date
),

stacked as (
    {{ stacked_return_rows('stg_ssda903__episodes', 'ssda903', 'ssd_cla_episodes', 'episode_id',
        'start_date', 'ceased_date') }}
),

corrected_away as (
    select
        stacked.la_code,
        stacked.episode_id
    from stacked
    where
        stacked.is_bounded
        and exists (
            select 1
            from episodes as newer
            where
                newer.la_code = stacked.la_code
                and newer.person_id = stacked.person_id
                and newer.extract_date > stacked.extract_date
                and newer.start_date < stacked.coverage_start
        )
),

final as (
    select
        stacked.la_code,
        stacked.extract_date,
        stacked.episode_id,
        stacked.person_id,
        stacked.start_date,
        stacked.start_reason,
        stacked.legal_status,
        stacked.primary_need,
        stacked.placement_type,
        stacked.placement_provider,
        case when stacked.is_bounded then stacked.coverage_start else stacked.ceased_date end as ceased_date,
        case when stacked.is_bounded then null else stacked.ceased_reason end as ceased_reason,
        stacked.placement_change_reason,
        stacked.is_short_break,
        stacked.is_bounded
    from stacked
    anti join corrected_away
        on stacked.la_code = corrected_away.la_code and stacked.episode_id = corrected_away.episode_id
)

select * from final
where {{ only_changed_las() }}
