-- Which dataset feeds each version 2 mart family for each LA (extract-contract.md, "Datasets"): the
-- first in the family's order that the LA supplies. Version 1 marts read only ssd. The statutory
-- returns add their candidates here (cin_census for the journey, ssda903 for looked after, each
-- with preference 2) and nothing downstream changes: the marts read the chosen source's rows.
with extracts as (
    select * from {{ ref('int_extracts_current') }}
    where is_current
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
),

final as (
    select * exclude (preference)
    from candidates
    qualify row_number() over (partition by la_code, family order by preference) = 1
)

select * from final
