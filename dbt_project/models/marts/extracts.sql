-- One row per loaded extract: what BI tools show as "data as at", and its data-quality status.
-- dq_status: error = blocked, or rows rejected or excluded by an error-level check;
-- warn = only warnings; pass = clean. days_since_extract and freshness depend on the day the
-- marts are built (lateness is about today, not the data).
with extracts as (
    select * from {{ ref('int_extracts_current') }}
),

las as (
    select * from {{ ref('la_reference') }}
),

freshness as (
    -- each LA's newest extract, blocked or not, and whether it is on time (computed once, there)
    select * from {{ ref('int_extract_freshness') }}
),

file_loads as (
    select
        la_code,
        extract_date,
        dataset,
        sum(rows_rejected + rows_excluded) as rows_with_errors,
        sum(rows_duplicate) as rows_duplicate,
        bool_or(len(warnings) > 0) as has_file_warnings
    from {{ ref('stg_csc__file_loads') }}
    group by all
),

warnings as (
    select
        la_code,
        extract_date,
        dataset,
        count(*) as warning_rows
    from {{ ref('stg_csc__dq_failures') }}
    where severity = 'warn'
    group by all
),

final as (
    select
        cast(extracts.la_code as varchar) as la_code,
        cast(las.la_name as varchar) as la_name,
        cast(extracts.extract_date as date) as extract_date,
        cast(extracts.dataset as varchar) as dataset,
        cast(extracts.as_at as timestamp) as as_at,
        cast(extracts.is_current as boolean) as is_current,
        cast(extracts.loaded_at as timestamp) as loaded_at,
        cast(
            case
                when extracts.is_blocked or coalesce(file_loads.rows_with_errors, 0) > 0 then 'error'
                when
                    coalesce(warnings.warning_rows, 0) > 0 or coalesce(file_loads.rows_duplicate, 0) > 0
                    or coalesce(file_loads.has_file_warnings, false) then 'warn'
                else 'pass'
            end as varchar
        ) as dq_status,
        cast(extracts.is_blocked as boolean) as is_blocked,
        cast(extracts.block_reasons as varchar) as block_reasons,
        cast({{ today() }} - extracts.extract_date as integer) as days_since_extract,
        cast(extracts.extract_date = freshness.newest_extract_date as boolean) as is_newest,
        cast(freshness.tolerance_days as integer) as tolerance_days,
        -- for the newest extract only
        cast(
            case when extracts.extract_date = freshness.newest_extract_date then freshness.freshness end as varchar
        ) as freshness
    from extracts
    inner join freshness on extracts.la_code = freshness.la_code
    left join las on extracts.la_code = las.la_code
    left join file_loads
        on
            extracts.la_code = file_loads.la_code and extracts.extract_date = file_loads.extract_date
            and extracts.dataset = file_loads.dataset
    left join warnings
        on
            extracts.la_code = warnings.la_code and extracts.extract_date = warnings.extract_date
            and extracts.dataset = warnings.dataset
)

select * from final
