-- Per LA, extract (superseded and blocked ones included), table and check: its status, how many rows
-- failed and a few example keys, so an LA's data quality can be followed from extract to extract.
-- status: pass, warn (a warn check found rows), fail (an error-level check found rows, or the file
-- could not be read), not_run (the file was rejected whole, so its rows were never checked).
with checks as (
    select * from {{ ref('dq_checks') }}
),

file_loads as (
    select * from {{ ref('stg_csc__file_loads') }}
),

applicable as (
    select
        file_loads.la_code,
        file_loads.extract_date,
        file_loads.dataset,
        file_loads.table_name,
        file_loads.contract_table,
        file_loads.file_error is not null as file_rejected,
        checks.check_name,
        checks.severity
    from file_loads
    inner join checks on file_loads.contract_table = checks.table_name
),

check_failures as (
    select
        la_code,
        extract_date,
        dataset,
        table_name,
        check_name,
        count(distinct record_id) as failing_rows,
        array_to_string(list_slice(list_sort(list_distinct(list(record_id))), 1, 5), ', ') as example_keys
    from {{ ref('stg_csc__dq_failures') }}
    group by all
),

reject_failures as (
    select
        la_code,
        extract_date,
        dataset,
        table_name,
        'rows_rejected' as check_name,
        count(distinct line_no) as failing_rows,
        array_to_string(
            list_transform(list_slice(list_sort(list_distinct(list(line_no))), 1, 5), n -> 'line ' || n), ', '
        ) as example_keys
    from {{ ref('stg_csc__rejects') }}
    group by all
),

file_failures as (
    select
        la_code,
        extract_date,
        dataset,
        contract_table as table_name,
        'file_readable' as check_name,
        rows_read as failing_rows,
        file_error as example_keys
    from file_loads
    where file_error is not null
),

failures as (
    select * from check_failures
    union all
    select * from reject_failures
    union all
    select * from file_failures
),

final as (
    select
        cast(applicable.la_code as varchar) as la_code,
        cast(applicable.extract_date as date) as extract_date,
        cast(applicable.dataset as varchar) as dataset,
        cast(applicable.table_name as varchar) as table_name,
        cast(applicable.check_name as varchar) as check_name,
        cast(applicable.severity as varchar) as severity,
        cast(
            case
                when applicable.file_rejected and applicable.check_name <> 'file_readable' then 'not_run'
                when coalesce(failures.failing_rows, 0) = 0 and applicable.check_name <> 'file_readable' then 'pass'
                when applicable.check_name = 'file_readable' and not applicable.file_rejected then 'pass'
                when applicable.severity = 'warn' then 'warn'
                else 'fail'
            end as varchar
        ) as status,
        cast(coalesce(failures.failing_rows, 0) as bigint) as failing_rows,
        cast(failures.example_keys as varchar) as example_keys
    from applicable
    left join failures
        on
            applicable.la_code = failures.la_code
            and applicable.extract_date = failures.extract_date
            and applicable.dataset = failures.dataset
            and applicable.contract_table = failures.table_name
            and applicable.check_name = failures.check_name
)

select * from final
where {{ only_changed_las() }}
