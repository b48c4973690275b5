{#- numerator / denominator x 100 as DOUBLE; null when the denominator is 0 (never rounded). -#}
{% macro safe_pct(numerator, denominator) -%}
    case when ({{ denominator }}) = 0 then null else 100.0 * ({{ numerator }}) / ({{ denominator }}) end
{%- endmacro %}
