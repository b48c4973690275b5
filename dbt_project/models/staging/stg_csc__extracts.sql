with source as (
    select * from {{ source('csc', 'extract_log') }}
),

renamed as (
    select
        la_code,
        extract_date,
        dataset,
        as_at,
        content_hash,
        status = 'blocked' as is_blocked,
        block_reasons,
        tables_present,
        warnings,
        loaded_at
    from source
)

select * from renamed
