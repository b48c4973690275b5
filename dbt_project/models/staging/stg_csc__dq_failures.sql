with source as (
    select * from {{ source('csc', 'dq_failures') }}
),

renamed as (
    select
        la_code,
        extract_date,
        dataset,
        table_name,
        record_id,
        line_no,
        check_name,
        severity,
        detail
    from source
)

select * from renamed
