with source as (
    select * from {{ source('csc', 'load_log') }}
),

renamed as (
    select
        la_code,
        extract_date,
        dataset,
        table_name,
        file_name,
        encoding,
        rows_read,
        rows_loaded,
        rows_rejected,
        rows_duplicate,
        rows_excluded,
        file_error,
        warnings,
        loaded_at
    from source
)

select * from renamed
