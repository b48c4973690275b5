{#- The rows a version 2 mart family reads for each LA: from `relations` (dataset -> relation holding that
    dataset's rows of one entity), only the dataset int_family_sources chose for the LA and family. -#}
{% macro family_source_rows(family, relations) -%}
    {%- for dataset, relation in relations.items() %}
        select rows.*
        from {{ relation }} as rows
        inner join {{ ref('int_family_sources') }} as sources
            on
                rows.la_code = sources.la_code
                and sources.family = '{{ family }}'
                and sources.source_dataset = '{{ dataset }}'
        {% if not loop.last %}union all by name{% endif %}
    {%- endfor %}
{%- endmacro %}
