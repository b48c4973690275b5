-- Referrals by month of the referral date: re-referrals within 12 months, and children seen within
-- 5 working days (1 working day when at risk of significant harm) (kpi-definitions.md, version 2).
-- Rows for each LA whose child's-journey family has a source (int_family_sources).
with months as (
    select * from {{ ref('int_family_months') }}
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
        cast(re_referrals_12m as bigint) as re_referrals_12m,
        cast({{ safe_pct('re_referrals_12m', 'referrals') }} as double) as pct_re_referrals_12m,
        cast(referrals_nfa as bigint) as referrals_nfa,
        cast(seen_due as bigint) as seen_due,
        cast(seen_within_5wd as bigint) as seen_within_5wd,
        cast(seen_pending as bigint) as seen_pending,
        cast({{ safe_pct('seen_within_5wd', 'seen_due - seen_pending') }} as double) as pct_seen_within_5wd,
        cast(sh_due as bigint) as sh_due,
        cast(sh_seen_within_1wd as bigint) as sh_seen_within_1wd,
        cast(sh_pending as bigint) as sh_pending,
        cast({{ safe_pct('sh_seen_within_1wd', 'sh_due - sh_pending') }} as double) as pct_sh_seen_within_1wd,
        cast(source_dataset as varchar) as source_dataset
    from monthly
)

select * from final
