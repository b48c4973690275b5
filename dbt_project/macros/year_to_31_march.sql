{#- The DfE year a date falls in: N for 1 April N-1 to 31 March N (the year to 31 March N). -#}
{% macro year_to_31_march(d) -%}
    (year({{ d }}) + (month({{ d }}) >= 4)::integer)
{%- endmacro %}
