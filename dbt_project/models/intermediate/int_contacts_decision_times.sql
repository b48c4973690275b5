-- Each Front Door contact of a current extract with its decision timings.
with contacts as (
    select * from {{ ref('int_contacts_current') }}
    where {{ only_changed_las() }}
),

extracts as (
    select * from {{ ref('int_extracts_current') }}
    where {{ current_ssd_extract() }} and {{ only_changed_las() }}
),

calendar as (
    select * from {{ ref('int_calendar_days') }}
),

timed as (
    select
        contacts.la_code,
        contacts.extract_date,
        contacts.contact_id,
        contacts.person_id,
        contacts.received_at,
        contacts.decided_at,
        extracts.as_at,
        cast(date_trunc('month', contacts.received_at) as date) as period_start,
        {{ elapsed_hours('contacts.received_at', 'contacts.decided_at') }} as hours_to_decision,
        {{ elapsed_hours('contacts.received_at', 'extracts.as_at') }} as hours_since_received,
        calendar.next_working_day as decision_due_by
    from contacts
    inner join extracts
        on contacts.la_code = extracts.la_code and contacts.extract_date = extracts.extract_date
    left join calendar
        on calendar.date_day = cast(contacts.received_at as date)
),

final as (
    select
        *,
        decided_at is not null as is_decided,
        decided_at is not null and hours_to_decision <= 24 as is_within_24h,
        decided_at is not null and cast(decided_at as date) <= decision_due_by as is_within_1_working_day,
        decided_at is null as is_awaiting,
        decided_at is null and hours_since_received > 24 as is_awaiting_over_24h,
        decided_at is null and hours_since_received <= 24 as is_pending,
        -- the one-working-day standard not yet due (version 2): a Friday-evening contact undecided
        -- at a Saturday as-at is pending, not late
        decided_at is null and extract_date <= decision_due_by as is_pending_1_working_day
    from timed
)

select * from final
where {{ only_changed_las() }}
