{#- The rows of a staging model that feed the marts: from each LA's current extract (its newest
    extract that was not blocked), less the records an error-level data-quality check excluded. -#}
{% macro current_rows(staging_model, contract_table, id_column) -%}
select staged.*
from {{ ref(staging_model) }} as staged
inner join {{ ref('int_extracts_current') }} as extracts
    on extracts.la_code = staged.la_code
   and extracts.extract_date = staged.extract_date
   and {{ current_ssd_extract('extracts') }}
where {{ only_changed_las('staged.la_code') }}
  and not exists (
    select 1
    from {{ ref('int_records_excluded') }} as excluded
    where excluded.la_code = staged.la_code
      and excluded.extract_date = staged.extract_date
      and excluded.dataset = extracts.dataset
      and excluded.table_name = '{{ contract_table }}'
      and excluded.record_id = staged.{{ id_column }}
)
{%- endmacro %}
