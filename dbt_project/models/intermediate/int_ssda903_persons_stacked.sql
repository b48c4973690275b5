-- The children of an LA's SSDA903 returns stacked into one history (statutory-returns.md,
-- "Stacking"): each child takes the header row of the newest unblocked return that loaded them. A
-- child excluded there by an error-level check is left out (an older row never comes back); persons
-- are never bounded or dropped by a newer return's coverage.
with returns as (
    select * from {{ ref('int_statutory_returns') }}
    where dataset = 'ssda903'
),

persons as (
    select staged.*
    from {{ ref('stg_ssda903__persons') }} as staged
    inner join returns on staged.la_code = returns.la_code and staged.extract_date = returns.extract_date
),

newest as (
    select *
    from persons
    qualify row_number() over (partition by la_code, person_id order by extract_date desc) = 1
),

final as (
    select newest.*
    from newest
    where not exists (
        select 1
        from {{ ref('int_records_excluded') }} as excluded
        where
            excluded.la_code = newest.la_code
            and excluded.extract_date = newest.extract_date
            and excluded.dataset = 'ssda903'
            and excluded.table_name = 'ssd_person'
            and excluded.record_id = newest.person_id
    )
)

select * from final
