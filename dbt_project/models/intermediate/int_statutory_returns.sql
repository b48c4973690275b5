-- Every unblocked statutory return (ssda903, cin_census) with its coverage: the latest 1 April on or
-- before its extract date (its reference date) to the extract date (statutory-returns.md, "Stacking").
-- Blocked returns take no part in stacking.
with extracts as (
    select * from {{ ref('int_extracts_current') }}
    where dataset in ('ssda903', 'cin_census') and not is_blocked
),

final as (
    select
        la_code,
        dataset,
        extract_date,
        cast(make_date(year(extract_date) - case when month(extract_date) < 4 then 1 else 0 end, 4, 1) as date)
            as coverage_start,
        tables_present
    from extracts
)

select * from final
where {{ only_changed_las() }}
