-- Front Door decisions by month the contact was received (kpi-definitions.md).
with months as (
    select * from {{ ref('int_reporting_months') }}
    where list_contains(tables_present, 'ssd_contacts')
),

contacts as (
    select * from {{ ref('int_contacts_decision_times') }}
),

monthly as (
    select
        months.la_code,
        months.period_start,
        count(contacts.contact_id) as contacts_received,
        count(*) filter (where contacts.is_decided) as decided,
        count(*) filter (where contacts.is_within_24h) as decided_within_24h,
        count(*) filter (where contacts.is_within_1_working_day) as decided_within_1_working_day,
        count(*) filter (where contacts.is_awaiting) as awaiting_decision,
        count(*) filter (where contacts.is_awaiting_over_24h) as awaiting_over_24h,
        count(*) filter (where contacts.is_pending) as pending,
        count(*) filter (where contacts.is_pending_1_working_day) as pending_1_working_day,
        quantile_cont(contacts.hours_to_decision, 0.5) filter (where contacts.is_decided) as median_hours_to_decision,
        quantile_cont(contacts.hours_to_decision, 0.9) filter (where contacts.is_decided) as p90_hours_to_decision
    from months
    left join contacts
        on months.la_code = contacts.la_code and months.period_start = contacts.period_start
    group by all
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_start as date) as period_start,
        cast(contacts_received as bigint) as contacts_received,
        cast(decided as bigint) as decided,
        cast(decided_within_24h as bigint) as decided_within_24h,
        cast(decided_within_1_working_day as bigint) as decided_within_1_working_day,
        cast(awaiting_decision as bigint) as awaiting_decision,
        cast(awaiting_over_24h as bigint) as awaiting_over_24h,
        cast(pending as bigint) as pending,
        cast({{ safe_pct('decided_within_24h', 'contacts_received - pending') }} as double) as pct_within_24h,
        cast({{ safe_pct('decided_within_1_working_day', 'contacts_received - pending_1_working_day') }} as double)
            as pct_within_1_working_day,
        cast(median_hours_to_decision as double) as median_hours_to_decision,
        cast(p90_hours_to_decision as double) as p90_hours_to_decision,
        cast(pending_1_working_day as bigint) as pending_1_working_day
    from monthly
)

select * from final
where {{ only_changed_las() }}
