-- Every loaded extract, which one is each LA's current extract of its dataset, and its reporting
-- window. The current extract is the newest that was not blocked (extract-contract.md); older and
-- blocked extracts stay for audit but do not feed the KPI marts. The version 1 marts read the
-- current ssd extract (macro current_ssd_extract).
with extracts as (
    select * from {{ ref('stg_csc__extracts') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code, dataset, is_blocked order by extract_date desc
        ) = 1 and not is_blocked as is_current
    from extracts
),

final as (
    select
        la_code,
        extract_date,
        dataset,
        as_at,
        is_blocked,
        block_reasons,
        tables_present,
        is_current,
        loaded_at,
        cast(date_trunc('month', extract_date) as date) as as_at_month,
        cast(
            date_trunc('month', extract_date) - to_months({{ var('reporting_months') }} - 1) as date
        ) as window_start_month
    from ranked
)

select * from final
where {{ only_changed_las() }}
