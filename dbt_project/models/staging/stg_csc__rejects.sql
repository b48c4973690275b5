with source as (
    select * from {{ source('csc', 'rejects') }}
),

renamed as (
    select
        la_code,
        extract_date,
        dataset,
        table_name,
        file_name,
        line_no,
        column_name,
        raw_value,
        rule,
        reason,
        record_id
    from source
)

select * from renamed
