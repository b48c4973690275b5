-- Referrals by month of the referral date: re-referrals within 12 months, and children seen within
-- 5 working days (1 working day when at risk of significant harm) (kpi-definitions.md, version 2).
-- Rows for each LA whose child's-journey family has a source (int_family_sources). The CIN census
-- has no seen date or harm judgement: every seen and sh column but seen_due is null for an LA fed by
-- it. The 12-month look-back is null for a month whose look-back starts before the data start.
with months as (
    select
        *,
        source_dataset <> 'cin_census' as has_seen_dates,
        data_start is null or {{ minus_months('period_start', 12) }} >= data_start as has_look_back
    from {{ ref('int_family_months') }}
    where family = 'journey'
),

referrals as (
    select * from {{ ref('int_referrals_timed') }}
),

monthly as (
    select
        months.la_code,
        months.period_start,
        months.source_dataset,
        months.has_seen_dates,
        months.has_look_back,
        count(referrals.referral_id) as referrals,
        count(*) filter (where referrals.is_re_referral_12m) as re_referrals_12m,
        count(*) filter (where referrals.is_nfa) as referrals_nfa,
        count(*) filter (where referrals.is_seen_due) as seen_due,
        count(*) filter (where referrals.is_seen_within_5wd) as seen_within_5wd,
        count(*) filter (where referrals.is_seen_pending) as seen_pending,
        count(*) filter (where referrals.is_sh_due) as sh_due,
        count(*) filter (where referrals.is_sh_seen_within_1wd) as sh_seen_within_1wd,
        count(*) filter (where referrals.is_sh_pending) as sh_pending
    from months
    left join referrals
        on months.la_code = referrals.la_code and months.period_start = referrals.period_start
    group by all
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_start as date) as period_start,
        cast(referrals as bigint) as referrals,
        cast((case when has_look_back then re_referrals_12m end) as bigint) as re_referrals_12m,
        cast((case when has_look_back then {{ safe_pct('re_referrals_12m', 'referrals') }} end) as double)
            as pct_re_referrals_12m,
        cast(referrals_nfa as bigint) as referrals_nfa,
        cast(seen_due as bigint) as seen_due,
        cast((case when has_seen_dates then seen_within_5wd end) as bigint) as seen_within_5wd,
        cast((case when has_seen_dates then seen_pending end) as bigint) as seen_pending,
        cast((case when has_seen_dates then {{ safe_pct('seen_within_5wd', 'seen_due - seen_pending') }} end) as double)
            as pct_seen_within_5wd,
        cast((case when has_seen_dates then sh_due end) as bigint) as sh_due,
        cast((case when has_seen_dates then sh_seen_within_1wd end) as bigint) as sh_seen_within_1wd,
        cast((case when has_seen_dates then sh_pending end) as bigint) as sh_pending,
        cast((case when has_seen_dates then {{ safe_pct('sh_seen_within_1wd', 'sh_due - sh_pending') }} end) as double)
            as pct_sh_seen_within_1wd,
        cast(source_dataset as varchar) as source_dataset
    from monthly
)

select * from final
where {{ only_changed_las() }}
