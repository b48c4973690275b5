-- The Front Door's live work list: every contact of the current extract with no decision at the
-- as-at time, whatever its month. Child-level operational data: internal only, never exported.
with contacts as (
    select * from {{ ref('int_contacts_decision_times') }}
    where is_awaiting
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(contact_id as varchar) as contact_id,
        cast(received_at as timestamp) as received_at,
        cast(hours_since_received as double) as hours_waiting,
        cast(hours_since_received > 24 as boolean) as over_24h
    from contacts
)

select * from final
