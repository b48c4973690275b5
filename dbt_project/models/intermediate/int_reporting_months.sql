-- One row per LA with a current ssd extract and calendar month of its reporting window, with the
-- month's snapshot date: the spine of the version 1 marts (macro window_months).
with current_extracts as (
    select
        la_code,
        extract_date,
        as_at,
        tables_present,
        window_start_month,
        as_at_month
    from {{ ref('int_extracts_current') }}
    where {{ current_ssd_extract() }}
),

final as (
    {{ window_months('current_extracts') }}
)

select * from final
where {{ only_changed_las() }}
