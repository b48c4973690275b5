{#- A monthly version 2 mart summed into years to 31 March per LA (`m` is the mart), with
    is_whole_year: the year's 12 months are in the mart and the last is complete (the family's
    source extract was taken on or after 31 March). -#}
{% macro whole_years(mart, family, aggregates) -%}
select
    m.la_code,
    {{ year_to_31_march('m.period_start') }} as year,
    {%- for aggregate in aggregates %}
        {{ aggregate }},
    {%- endfor %}
    count(*) = 12
    and max(sources.extract_date) >= make_date({{ year_to_31_march('m.period_start') }}, 3, 31) as is_whole_year
from {{ ref(mart) }} as m
inner join {{ ref('int_family_sources') }} as sources
    on m.la_code = sources.la_code and sources.family = '{{ family }}'
group by m.la_code, year
{%- endmacro %}
