-- Which dataset feeds each version 2 mart family for each LA (extract-contract.md, "Datasets"): the
-- first in the family's order that the LA supplies. Version 1 marts read only ssd. A stacked
-- dataset (the statutory returns) supplies a family when an unblocked return holds its table; its
-- window ends with the month of the newest unblocked return, its tables are those of all its
-- unblocked returns, and its data starts (`data_start`, kpi-definitions.md "Where history starts") at
-- the coverage start of the oldest unblocked return holding the family's table (the episodes of care;
-- the referrals, which every census holds with all its tables). ssd has no data start: an ssd
-- extract promises the whole window. The marts read the chosen source's rows (int_*_current).
with extracts as (
    select * from {{ ref('int_extracts_current') }}
    where is_current
),

returns_tables as (
    select
        la_code,
        dataset,
        list_sort(list_distinct(flatten(list(tables_present)))) as tables_present,
        min(coverage_start) filter (where list_contains(tables_present, 'ssd_cla_episodes')) as episodes_start,
        min(coverage_start) filter (where list_contains(tables_present, 'ssd_cin_episodes')) as referrals_start
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
        returns_tables.tables_present,
        returns_tables.episodes_start,
        returns_tables.referrals_start
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
        as_at_month,
        cast(null as date) as data_start
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
        as_at_month,
        null
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
        as_at_month,
        episodes_start
    from stacked
    where dataset = 'ssda903' and list_contains(tables_present, 'ssd_cla_episodes')
    union all
    -- the child's journey from the CIN censuses, stacked
    select
        la_code,
        'journey',
        dataset,
        2,
        extract_date,
        tables_present,
        window_start_month,
        as_at_month,
        referrals_start
    from stacked
    where dataset = 'cin_census'
),

final as (
    select
        la_code,
        family,
        source_dataset,
        extract_date,
        tables_present,
        -- the window is cut at the data start, not zero-filled before it
        greatest(window_start_month, cast(date_trunc('month', data_start) as date)) as window_start_month,
        as_at_month,
        data_start
    from candidates
    qualify row_number() over (partition by la_code, family order by preference) = 1
)

select * from final
where {{ only_changed_las() }}
