{#- Stacking rule 1 (statutory-returns.md, "Stacking"): each key of a statutory dataset's staging model takes
    the row of the newest unblocked return that loaded it; a key whose row there was excluded by an
    error-level check is left out (no older version comes back). -#}
{% macro newest_return_rows(staging_model, dataset, contract_table, id_column) -%}
select newest.*
from (
    select staged.*
    from {{ ref(staging_model) }} as staged
    inner join {{ ref('int_statutory_returns') }} as returns
        on
            staged.la_code = returns.la_code
            and staged.extract_date = returns.extract_date
            and returns.dataset = '{{ dataset }}'
    where {{ only_changed_las('staged.la_code') }}
    qualify row_number() over (partition by staged.la_code, staged.{{ id_column }} order by staged.extract_date desc) = 1
) as newest
where not exists (
    select 1
    from {{ ref('int_records_excluded') }} as excluded
    where
        excluded.la_code = newest.la_code
        and excluded.extract_date = newest.extract_date
        and excluded.dataset = '{{ dataset }}'
        and excluded.table_name = '{{ contract_table }}'
        and excluded.record_id = newest.{{ id_column }}
)
{%- endmacro %}
