-- Section 47 enquiries that feed the marts, from each LA's child's-journey source (int_family_sources): the
-- current ssd extract less error-level exclusions, or the LA's CIN censuses stacked (macro
-- stacked_return_rows: a dated event, kept when its start is before a newer census's coverage start).
with ssd as (
    {{ current_rows('stg_csc__s47_enquiries', 'ssd_s47_enquiry', 'enquiry_id') }}
),

cin_census as (
    select * exclude (coverage_start, is_carried_by_newer_reject, is_bounded)
    from ({{ stacked_return_rows('stg_cin_census__s47_enquiries', 'cin_census',
        'ssd_s47_enquiry', 'enquiry_id', 'start_date') }})
),

final as (
    {{ family_source_rows('journey', {'ssd': 'ssd', 'cin_census': 'cin_census'}) }}
)

select * from final
where {{ only_changed_las() }}
