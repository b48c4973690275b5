-- Review child-protection conferences that feed the marts, from each LA's child's-journey source
-- (int_family_sources): the current ssd extract less error-level exclusions, or the LA's CIN censuses
-- stacked (macro stacked_return_rows: a dated event, kept when its date is before a newer census's coverage
-- start).
with ssd as (
    {{ current_rows('stg_csc__cp_reviews', 'ssd_cp_reviews', 'review_id') }}
),

cin_census as (
    select * exclude (coverage_start, is_carried_by_newer_reject, is_bounded)
    from ({{ stacked_return_rows('stg_cin_census__cp_reviews', 'cin_census',
        'ssd_cp_reviews', 'review_id', 'review_date') }})
),

final as (
    {{ family_source_rows('journey', {'ssd': 'ssd', 'cin_census': 'cin_census'}) }}
)

select * from final
where {{ only_changed_las() }}
