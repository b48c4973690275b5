-- The dense monthly spine of each version 2 mart family: one row per LA fed by a source and month of
-- that source's reporting window, with the month's snapshot date.
with sources as (
    select
        la_code,
        family,
        source_dataset,
        extract_date,
        tables_present,
        window_start_month,
        as_at_month,
        data_start
    from {{ ref('int_family_sources') }}
),

final as (
    {{ window_months('sources') }}
)

select * from final
where {{ only_changed_las() }}
