-- Referrals that feed the marts, from each LA's child's-journey source (int_family_sources): the
-- current ssd extract less error-level exclusions, or the LA's CIN censuses stacked (macro
-- stacked_return_rows; a referral open on a newer census's coverage start closes on it, with no reason).
with ssd as (
    select
        *,
        false as is_bounded
    from ({{ current_rows('stg_csc__cin_episodes', 'ssd_cin_episodes', 'referral_id') }})
),

cin_census as (
    select
        * exclude (coverage_start, is_carried_by_newer_reject)
        replace (
            case when is_bounded then coverage_start else close_date end as close_date,
            case when is_bounded then null else close_reason end as close_reason
        )
    from ({{ stacked_return_rows('stg_cin_census__referrals', 'cin_census', 'ssd_cin_episodes', 'referral_id',
        'referral_date', 'close_date') }})
),

final as (
    {{ family_source_rows('journey', {'ssd': 'ssd', 'cin_census': 'cin_census'}) }}
)

select * from final
where {{ only_changed_las() }}
