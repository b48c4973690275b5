{#- The extract that feeds the version 1 marts: the LA's current extract of the ssd dataset. -#}
{% macro current_ssd_extract(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}is_current and {{ prefix }}dataset = 'ssd'
{%- endmacro %}
