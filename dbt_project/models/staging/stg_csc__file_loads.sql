with source as (
    select * from {{ source('csc', 'load_log') }}
),

renamed as (
    select
        la_code,
        extract_date,
        dataset,
        -- the file's table as the council names it (ssda903.header), and the contract table it fills
        coalesce(source_table, table_name) as table_name,
        table_name as contract_table,
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
