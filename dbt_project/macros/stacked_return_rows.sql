{#- A statutory dataset's rows of one table stacked into one history per LA (statutory-returns.md,
    "Stacking"). Rule 1 (newest_return_rows): a key takes the row of the newest unblocked return that
    loaded it, and a key excluded there is left out. Rule 2, unless a newer return read the key and
    rejected it (that return still carries it: the row is used unchanged): the nearest newer return
    holding the table is authoritative from its coverage start C.
      - a row with an end (`end_column`): kept if it ended before C; kept and flagged `is_bounded` if it
        started before C and was open on C (the caller closes it on C, counted in no ended column);
        dropped if it started on or after C;
      - a dated event (no `end_column`: it ends when it starts, so it is never bounded): kept if it
        happened before C, else dropped.
    The rows come with `coverage_start` (C; null when no newer return holds the table) and
    `is_carried_by_newer_reject`. -#}
{% macro stacked_return_rows(staging_model, dataset, contract_table, id_column, start_column, end_column=none) -%}
select * from (
    with returns as (
        select * from {{ ref('int_statutory_returns') }}
        where dataset = '{{ dataset }}'
    ),

    kept as (
        {{ newest_return_rows(staging_model, dataset, contract_table, id_column) }}
    ),

    rejected_by_newer as (
        select distinct
            kept.la_code,
            kept.{{ id_column }}
        from kept
        inner join {{ ref('stg_csc__rejects') }} as rejects
            on
                kept.la_code = rejects.la_code
                and kept.{{ id_column }} = rejects.record_id
                and kept.extract_date < rejects.extract_date
                and rejects.dataset = '{{ dataset }}'
                and rejects.table_name = '{{ contract_table }}'
        inner join returns on rejects.la_code = returns.la_code and rejects.extract_date = returns.extract_date
    ),

    next_coverage as (
        select
            kept.la_code,
            kept.{{ id_column }},
            arg_min(returns.coverage_start, returns.extract_date) as coverage_start
        from kept
        inner join returns
            on
                kept.la_code = returns.la_code
                and kept.extract_date < returns.extract_date
                and list_contains(returns.tables_present, '{{ contract_table }}')
        group by all
    ),

    judged as (
        select
            kept.*,
            next_coverage.coverage_start,
            rejected_by_newer.{{ id_column }} is not null as is_carried_by_newer_reject
        from kept
        left join next_coverage
            on kept.la_code = next_coverage.la_code and kept.{{ id_column }} = next_coverage.{{ id_column }}
        left join rejected_by_newer
            on kept.la_code = rejected_by_newer.la_code and kept.{{ id_column }} = rejected_by_newer.{{ id_column }}
    )

    select
        *,
        coalesce(
            not is_carried_by_newer_reject
            and {{ start_column }} < coverage_start
            and ({{ end_column or start_column }} is null or {{ end_column or start_column }} >= coverage_start),
            false
        ) as is_bounded
    from judged
    where
        is_carried_by_newer_reject
        or coverage_start is null
        or {{ end_column or start_column }} < coverage_start
        or {{ start_column }} < coverage_start
)
{%- endmacro %}
