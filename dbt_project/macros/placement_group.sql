{#- The local placement group of an episode of care (kpi-definitions.md, kpi_looked_after): the
    placement-mix question is in-house against agency fostering, and residential care. The nine
    groups cover every code, so they add up to the children looked after. Not DfE's categories. -#}
{% macro placement_group(placement_type, provider) -%}
    case
        when {{ placement_type }} in ('U1', 'U2', 'U3') then 'fostering_kinship'
        when {{ placement_type }} in ('U4', 'U5', 'U6') and {{ provider }} = 'PR1' then 'fostering_in_house'
        when {{ placement_type }} in ('U4', 'U5', 'U6') and {{ provider }} in ('PR4', 'PR5') then 'fostering_agency'
        when {{ placement_type }} in ('U4', 'U5', 'U6') then 'fostering_other'
        when {{ placement_type }} in ('K1', 'K2', 'R1', 'S1') then 'residential'
        when {{ placement_type }} in ('H5', 'K3', 'P2') then 'supported_accommodation'
        when {{ placement_type }} = 'P1' then 'placed_with_parents'
        when {{ placement_type }} in ('A3', 'A4', 'A5', 'A6') then 'placed_for_adoption'
        else 'other_placement'
    end
{%- endmacro %}
