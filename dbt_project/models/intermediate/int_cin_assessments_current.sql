-- Assessments that feed the marts, from each LA's child's-journey source (int_family_sources): the
-- current ssd extract less error-level exclusions, or the LA's CIN censuses stacked (macro
-- stacked_return_rows). An assessment open on a newer census's coverage start C stays open before C
-- and on no day from C: it ends on C (`auth_date`) but `is_bounded` says it was never completed.
with ssd as (
    select
        *,
        false as is_bounded
    from ({{ current_rows('stg_csc__cin_assessments', 'ssd_cin_assessments', 'assessment_id') }})
),

cin_census as (
    select
        * exclude (coverage_start, is_carried_by_newer_reject)
        replace (case when is_bounded then coverage_start else auth_date end as auth_date)
    from ({{ stacked_return_rows('stg_cin_census__assessments', 'cin_census', 'ssd_cin_assessments',
        'assessment_id', 'start_date', 'auth_date') }})
),

final as (
    {{ family_source_rows('journey', {'ssd': 'ssd', 'cin_census': 'cin_census'}) }}
)

select * from final
where {{ only_changed_las() }}
