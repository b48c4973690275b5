-- The episodes of care of an LA's SSDA903 returns stacked into one history (statutory-returns.md,
-- "Stacking"). A key (CHILD|DECOM) takes the row of the newest unblocked return that loaded it; if
-- that row was excluded there, the key is left out. Then, unless a newer return read the key and
-- rejected it (that return still carries it: the row is used unchanged), the nearest newer return
-- holding episodes is authoritative from its coverage start C:
--   an episode that ceased before C is kept;
--   one open on C is bounded at C (ceased on C, with no reason: it counts in no `ceased`), unless a
--   newer return loaded an episode of the same child that started before C (that return carries the
--   child across C, so this row was corrected away): then it is dropped;
--   one starting on or after C is dropped (the newer return would hold it).
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

kept as (
    {{ newest_return_rows('stg_ssda903__episodes', 'ssda903', 'ssd_cla_episodes', 'episode_id') }}
),

rejected_by_newer as (
    -- keys a newer return read but rejected: it still carries them, so the older row stands as it is
    select distinct
        kept.la_code,
        kept.episode_id
    from kept
    inner join {{ ref('stg_csc__rejects') }} as rejects
        on
            kept.la_code = rejects.la_code
            and kept.episode_id = rejects.record_id
            and kept.extract_date < rejects.extract_date
            and rejects.dataset = 'ssda903'
            and rejects.table_name = 'ssd_cla_episodes'
    inner join returns on rejects.la_code = returns.la_code and rejects.extract_date = returns.extract_date
),

next_coverage as (
    -- C: the coverage start of the nearest newer return that holds episodes
    select
        kept.la_code,
        kept.episode_id,
        arg_min(returns.coverage_start, returns.extract_date) as coverage_start
    from kept
    inner join returns
        on
            kept.la_code = returns.la_code
            and kept.extract_date < returns.extract_date
            and list_contains(returns.tables_present, 'ssd_cla_episodes')
    group by all
),

judged as (
    select
        kept.*,
        next_coverage.coverage_start,
        rejected_by_newer.episode_id is not null as is_carried_by_newer_reject,
        exists(
            select 1
            from episodes as newer
            where
                newer.la_code = kept.la_code
                and newer.person_id = kept.person_id
                and newer.extract_date > kept.extract_date
                and newer.start_date < next_coverage.coverage_start
        ) as is_carried_across_coverage
    from kept
    left join next_coverage on kept.la_code = next_coverage.la_code and kept.episode_id = next_coverage.episode_id
    left join rejected_by_newer
        on kept.la_code = rejected_by_newer.la_code and kept.episode_id = rejected_by_newer.episode_id
),

bounded as (
    select
        *,
        coalesce(
            not is_carried_by_newer_reject
            and start_date < coverage_start
            and (ceased_date is null or ceased_date >= coverage_start),
            false
        ) as is_bounded
    from judged
    where
        is_carried_by_newer_reject
        or coverage_start is null
        or ceased_date < coverage_start
        or (start_date < coverage_start and not is_carried_across_coverage)
),

final as (
    select
        la_code,
        extract_date,
        episode_id,
        person_id,
        start_date,
        start_reason,
        legal_status,
        primary_need,
        placement_type,
        placement_provider,
        case when is_bounded then coverage_start else ceased_date end as ceased_date,
        case when is_bounded then null else ceased_reason end as ceased_reason,
        placement_change_reason,
        is_short_break,
        is_bounded
    from bounded
)

select * from final
