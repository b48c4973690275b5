{#- The day lateness is measured on: today, or dbt var `today` (unit tests pin it). -#}
{% macro today() -%}
    {%- if var('today', none) -%} date '{{ var("today") }}' {%- else -%} current_date {%- endif -%}
{%- endmacro %}
