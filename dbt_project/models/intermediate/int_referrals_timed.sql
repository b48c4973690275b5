-- Each referral that feeds the marts with the measures of kpi_referrals as flags: a re-referral
-- within 12 months, and whether the child was seen within 5 working days (1 for significant harm).
-- add_working_days(d, n): macro join_add_working_days (null outside the calendar, never guessed).
with referrals as (
    select * from {{ ref('int_cin_episodes_current') }}
    where {{ only_changed_las() }}
),

deadlines as (
    select
        referrals.*,
        cast(date_trunc('month', referrals.referral_date) as date) as period_start,
        day5.date_day as seen_due_by,
        day1.date_day as sh_seen_due_by
    from referrals
    {{ join_add_working_days('referrals.referral_date', 5, 'day5') }}
    {{ join_add_working_days('referrals.referral_date', 1, 'day1') }}
),

re_referrals as (
    -- another referral of the child with minus_months(d, 12) <= p < d
    select distinct
        later.la_code,
        later.referral_id
    from referrals as later
    inner join referrals as earlier
        on
            later.la_code = earlier.la_code
            and later.person_id = earlier.person_id
            and later.referral_id <> earlier.referral_id
            and earlier.referral_date >= {{ minus_months('later.referral_date', 12) }}
            and later.referral_date > earlier.referral_date
),

final as (
    select
        deadlines.la_code,
        deadlines.extract_date,
        deadlines.referral_id,
        deadlines.person_id,
        deadlines.referral_date,
        deadlines.period_start,
        deadlines.seen_date,
        deadlines.seen_due_by,
        deadlines.sh_seen_due_by,
        deadlines.is_nfa,
        re_referrals.referral_id is not null as is_re_referral_12m,
        not deadlines.is_nfa as is_seen_due,
        not deadlines.is_nfa and deadlines.seen_date <= deadlines.seen_due_by as is_seen_within_5wd,
        not deadlines.is_nfa and deadlines.seen_date is null
        and deadlines.extract_date < deadlines.seen_due_by as is_seen_pending,
        not deadlines.is_nfa and deadlines.is_significant_harm as is_sh_due,
        not deadlines.is_nfa and deadlines.is_significant_harm
        and deadlines.seen_date <= deadlines.sh_seen_due_by as is_sh_seen_within_1wd,
        not deadlines.is_nfa and deadlines.is_significant_harm and deadlines.seen_date is null
        and deadlines.extract_date < deadlines.sh_seen_due_by as is_sh_pending
    from deadlines
    left join re_referrals
        on deadlines.la_code = re_referrals.la_code and deadlines.referral_id = re_referrals.referral_id
)

select * from final
where {{ only_changed_las() }}
