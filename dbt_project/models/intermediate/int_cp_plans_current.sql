-- Child-protection plans that feed the marts, from each LA's child's-journey source
-- (int_family_sources): the current ssd extract less error-level exclusions, or the LA's CIN censuses
-- stacked (macro stacked_return_rows). A plan open on a newer census's coverage start C ends on C,
-- `is_bounded`: it counts in no `cp_plans_ended`.
with ssd as (
    select
        *,
        false as is_bounded
    from ({{ current_rows('stg_csc__cp_plans', 'ssd_cp_plans', 'plan_id') }})
),

cin_census as (
    select
        * exclude (coverage_start, is_carried_by_newer_reject)
        replace (case when is_bounded then coverage_start else end_date end as end_date)
    from ({{ stacked_return_rows('stg_cin_census__cp_plans', 'cin_census', 'ssd_cp_plans', 'plan_id',
        'start_date', 'end_date') }})
),

final as (
    {{ family_source_rows('journey', {'ssd': 'ssd', 'cin_census': 'cin_census'}) }}
)

select * from final
where {{ only_changed_las() }}
