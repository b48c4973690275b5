{#- A KPI's value from its numerator and denominator, by the value_formula of seed kpi_targets:
    percent = numerator / denominator x 100, per_10k = numerator / denominator x 10,000 and ratio =
    numerator / denominator (null when the denominator is 0 or unknown); count = numerator. The KPI marts compute their LA values themselves; this is
    how the same value is made for any sum of LAs (a region, all LAs), and a test holds the two equal. -#}
{% macro kpi_value(value_formula, numerator, denominator) -%}
    case
        when {{ value_formula }} = 'count' then ({{ numerator }})
        when ({{ denominator }}) = 0 then null
        when {{ value_formula }} = 'percent' then 100.0 * ({{ numerator }}) / ({{ denominator }})
        when {{ value_formula }} = 'per_10k' then 10000.0 * ({{ numerator }}) / ({{ denominator }})
        else ({{ numerator }}) / ({{ denominator }})
    end
{%- endmacro %}
