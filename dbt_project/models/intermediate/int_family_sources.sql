-- Which dataset feeds each version 2 mart family for each LA (extract-contract.md, "Datasets"): the
-- first in the family's order that the LA supplies. Version 1 marts read only ssd. A stacked
-- dataset (the statutory returns) supplies a family when any unblocked return holds its table; its
-- window ends with the month of the newest unblocked return, and its tables are those of all its
-- unblocked returns. The marts read the chosen source's rows (int_*_current).
with extracts as (
    select * from {{ ref('int_extracts_current') }}
    where is_current
),

returns_tables as (
    select
        la_code,
        dataset,
        list_sort(list_distinct(flatten(list(tables_present)))) as tables_present
    from {{ ref('int_statutory_returns') }}
    group by all
),

stacked as (
    select
        extracts.la_code,
        extracts.dataset,
        extracts.extract_date,
        extracts.window_start_month,
        extracts.as_at_month,
        returns_tables.tables_present
    from extracts
    inner join returns_tables
        on extracts.la_code = returns_tables.la_code and extracts.dataset = returns_tables.dataset
),

candidates as (
    -- ssd supplies the child's journey when its current extract holds the referrals
    select
        la_code,
        'journey' as family,
        dataset as source_dataset,
        1 as preference,
        extract_date,
        tables_present,
        window_start_month,
        as_at_month
    from extracts
    where dataset = 'ssd' and list_contains(tables_present, 'ssd_cin_episodes')
    union all
    -- ... and children looked after when it holds the episodes of care
    select
        la_code,
        'looked_after',
        dataset,
        1,
        extract_date,
        tables_present,
        window_start_month,
        as_at_month
    from extracts
    where dataset = 'ssd' and list_contains(tables_present, 'ssd_cla_episodes')
    union all
    -- then the SSDA903 returns, stacked
    select
        la_code,
        'looked_after',
        dataset,
        2,
        extract_date,
        tables_present,
        window_start_month,
        as_at_month
    from stacked
    where dataset = 'ssda903' and list_contains(tables_present, 'ssd_cla_episodes')
),

final as (
    select * exclude (preference)
    from candidates
    qualify row_number() over (partition by la_code, family order by preference) = 1
)

select * from final
