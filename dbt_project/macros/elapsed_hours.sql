{#- Real elapsed hours between two UK wall-clock timestamps (Europe/London, naive TIMESTAMP).
    Both ends are converted to UTC before subtracting, so an interval that crosses a clock change
    is one hour shorter (spring) or longer (autumn) than its wall-clock difference. This is the
    only place elapsed time is computed (kpi-definitions.md, "Elapsed hours"). -#}
{% macro elapsed_hours(start_local, end_local) -%}
    ((epoch(timezone('Europe/London', {{ end_local }})) - epoch(timezone('Europe/London', {{ start_local }}))) / 3600.0)
{%- endmacro %}
