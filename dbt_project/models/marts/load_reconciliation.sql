-- One row per extract x table file present (superseded and blocked extracts included):
-- rows_read = rows_loaded + rows_rejected + rows_duplicate on every row (an enforced test).
with file_loads as (
    select * from {{ ref('stg_csc__file_loads') }}
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(extract_date as date) as extract_date,
        cast(dataset as varchar) as dataset,
        cast(table_name as varchar) as table_name,
        cast(file_name as varchar) as file_name,
        cast(rows_read as bigint) as rows_read,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(rows_rejected as bigint) as rows_rejected,
        cast(rows_duplicate as bigint) as rows_duplicate,
        cast(rows_excluded as bigint) as rows_excluded,
        cast(file_error as varchar) as file_error
    from file_loads
)

select * from final
where {{ only_changed_las() }}
