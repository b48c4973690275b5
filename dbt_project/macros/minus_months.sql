{#- The same day k months earlier; a day that month lacks becomes its last day (29 February minus
    12 months is 28 February). -#}
{% macro minus_months(d, k) -%}
    cast({{ d }} - to_months({{ k }}) as date)
{%- endmacro %}
