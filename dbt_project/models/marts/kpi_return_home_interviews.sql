-- Return home interviews by month of the child's return (kpi-definitions.md).
-- Dense: every month of each LA's reporting window; an LA that sent no ssd_missing has no rows.
with months as (
    select * from {{ ref('int_reporting_months') }}
    where list_contains(tables_present, 'ssd_missing')
),

episodes as (
    select * from {{ ref('int_missing_episodes_rhi') }}
),

monthly as (
    select
        months.la_code,
        months.period_start,
        count(episodes.episode_id) as episodes_returned,
        count(*) filter (where episodes.is_offered) as rhi_offered,
        count(*) filter (where episodes.is_completed) as rhi_completed,
        count(*) filter (where episodes.is_within_72h) as rhi_completed_within_72h,
        count(*) filter (where episodes.is_independent) as rhi_independent,
        count(*) filter (where episodes.is_pending) as rhi_pending
    from months
    left join episodes
        on months.la_code = episodes.la_code and months.period_start = episodes.period_start
    group by all
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_start as date) as period_start,
        cast(episodes_returned as bigint) as episodes_returned,
        cast(rhi_offered as bigint) as rhi_offered,
        cast(rhi_completed as bigint) as rhi_completed,
        cast(rhi_completed_within_72h as bigint) as rhi_completed_within_72h,
        cast(rhi_independent as bigint) as rhi_independent,
        cast(rhi_pending as bigint) as rhi_pending,
        cast({{ safe_pct('rhi_offered', 'episodes_returned') }} as double) as pct_offered,
        cast({{ safe_pct('rhi_completed', 'episodes_returned') }} as double) as pct_completed,
        cast({{ safe_pct('rhi_completed_within_72h', 'episodes_returned - rhi_pending') }} as double) as pct_within_72h,
        cast({{ safe_pct('rhi_completed_within_72h', 'rhi_completed') }} as double) as pct_within_72h_of_completed,
        cast({{ safe_pct('rhi_independent', 'rhi_completed') }} as double) as pct_independent
    from monthly
)

select * from final
where {{ only_changed_las() }}
