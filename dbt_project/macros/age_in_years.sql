{#- A child's age on a date in whole years; a 29 February birthday falls on 1 March in other years.
    Null when the date of birth is unknown. -#}
{% macro age_in_years(date_of_birth, on_date) -%}
    (date_diff('year', {{ date_of_birth }}, {{ on_date }})
     - (strftime({{ on_date }}, '%m%d') < strftime({{ date_of_birth }}, '%m%d'))::integer)
{%- endmacro %}
