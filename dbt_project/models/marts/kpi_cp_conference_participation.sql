-- The child's participation in child-protection conferences (initial and review) by month of the
-- conference (kpi-definitions.md, version 2): attended, views conveyed, through an advocate, over the
-- children eligible (4 or over: a code other than PN0); and how often participation is recorded.
-- The CIN census carries no participation: no rows for an LA fed by it.
with months as (
    select * from {{ ref('int_family_months') }}
    where
        family = 'journey'
        and source_dataset <> 'cin_census'
        and (
            list_contains(tables_present, 'ssd_initial_cp_conference')
            or list_contains(tables_present, 'ssd_cp_reviews')
        )
),

conferences as (
    select
        la_code,
        conference_id,
        conference_date,
        participation
    from {{ ref('int_initial_cp_conferences_current') }}
    union all
    select
        la_code,
        review_id,
        review_date,
        participation
    from {{ ref('int_cp_reviews_current') }}
),

monthly as (
    select
        months.la_code,
        months.period_start,
        months.source_dataset,
        count(conferences.conference_id) as conferences,
        count(conferences.participation) as participation_recorded,
        count(*) filter (where conferences.participation <> 'PN0') as eligible,
        count(*) filter (where conferences.participation in ('PN1', 'PN2', 'PN3', 'PN4')) as child_attended,
        count(*) filter (where conferences.participation in ('PN1', 'PN2', 'PN3', 'PN5', 'PN6')) as views_conveyed,
        count(*) filter (where conferences.participation in ('PN2', 'PN5')) as via_advocate
    from months
    left join conferences
        on
            months.la_code = conferences.la_code
            and months.period_start = cast(date_trunc('month', conferences.conference_date) as date)
    group by all
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_start as date) as period_start,
        cast(conferences as bigint) as conferences,
        cast(participation_recorded as bigint) as participation_recorded,
        cast(eligible as bigint) as eligible,
        cast(child_attended as bigint) as child_attended,
        cast(views_conveyed as bigint) as views_conveyed,
        cast(via_advocate as bigint) as via_advocate,
        {{ safe_pct('child_attended', 'eligible') }}::double as pct_child_attended,
        {{ safe_pct('views_conveyed', 'eligible') }}::double as pct_views_conveyed,
        {{ safe_pct('via_advocate', 'eligible') }}::double as pct_via_advocate,
        {{ safe_pct('participation_recorded', 'conferences') }}::double as pct_participation_recorded,
        cast(source_dataset as varchar) as source_dataset
    from monthly
)

select * from final
where {{ only_changed_las() }}
