-- Is each council sending on time? One row per LA with an extract or a row in the cadence seed:
-- its newest extract (blocked or not: lateness is about arrival), the days since it, the tolerance
-- and the status: on_time within the tolerance, late (amber) within twice it, overdue (red) after
-- that or when a listed LA has sent nothing. A view, so "today" is the day it is read: the daily
-- freshness check reads it between builds, and marts.extracts copies it at each build.
{{ config(materialized='view') }}

with extracts as (
    select * from {{ ref('int_extracts_current') }}
),

cadence as (
    select * from {{ ref('extract_cadence') }}
),

newest as (
    select
        la_code,
        max(extract_date) as newest_extract_date
    from extracts
    group by all
),

las as (
    select la_code from newest
    union
    select la_code from cadence
),

measured as (
    select
        las.la_code,
        newest.newest_extract_date,
        {{ today() }} - newest.newest_extract_date as days_since_extract,
        coalesce(cadence.tolerance_days, {{ var('default_tolerance_days') }}) as tolerance_days
    from las
    left join newest on las.la_code = newest.la_code
    left join cadence on las.la_code = cadence.la_code
),

final as (
    select
        *,
        case
            when newest_extract_date is null or days_since_extract > 2 * tolerance_days then 'overdue'
            when days_since_extract > tolerance_days then 'late'
            else 'on_time'
        end as freshness
    from measured
)

select * from final
