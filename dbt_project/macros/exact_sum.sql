{#- The sum of a double column holding counts or values of at most 6 decimal places, added as exact
    decimals: a float sum depends on the order the rows are added in (DuckDB's parallel aggregation,
    an incremental build's row order), and the marts must be byte-identical from run to run. -#}
{% macro exact_sum(column) -%}
    cast(sum(cast({{ column }} as decimal(38, 6))) as double)
{%- endmacro %}
