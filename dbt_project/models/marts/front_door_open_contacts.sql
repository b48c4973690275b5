-- The Front Door's live work list: every contact of the current extract with no decision at the
-- as-at time, whatever its month. Child-level operational data: internal only, never exported.
-- person_id and age_at_contact (whole years at receipt) let the pseudonymised export be made from
-- this mart alone: the date of birth never leaves the warehouse.
with contacts as (
    select * from {{ ref('int_contacts_decision_times') }}
    where is_awaiting
),

persons as (
    select * from {{ ref('int_persons_current') }}
),

final as (
    select
        cast(contacts.la_code as varchar) as la_code,
        cast(contacts.contact_id as varchar) as contact_id,
        cast(contacts.received_at as timestamp) as received_at,
        cast(contacts.hours_since_received as double) as hours_waiting,
        cast(contacts.hours_since_received > 24 as boolean) as over_24h,
        cast(contacts.person_id as varchar) as person_id,
        cast({{ age_in_years('persons.date_of_birth', 'cast(contacts.received_at as date)') }} as integer)
            as age_at_contact
    from contacts
    left join persons
        on
            contacts.la_code = persons.la_code
            and contacts.extract_date = persons.extract_date
            and contacts.person_id = persons.person_id
)

select * from final
where {{ only_changed_las() }}
