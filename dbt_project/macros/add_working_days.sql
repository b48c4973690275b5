{#- add_working_days(d, n) (kpi-definitions.md): the n-th working day strictly after date d, as
    `<alias>.date_day` after these joins: the working day numbered n more than d's in
    int_calendar_days. Null when d is null or outside the calendar (never guessed). -#}
{% macro join_add_working_days(d, n, alias) -%}
    left join {{ ref('int_calendar_days') }} as {{ alias }}_from on {{ d }} = {{ alias }}_from.date_day
    left join {{ ref('int_calendar_days') }} as {{ alias }}
        on {{ alias }}.is_working_day and {{ alias }}_from.working_day_number + {{ n }} = {{ alias }}.working_day_number
{%- endmacro %}
