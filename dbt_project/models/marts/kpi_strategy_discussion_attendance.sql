-- Agency attendance at child-protection strategy discussions by month held (kpi-definitions.md).
with months as (
    select * from {{ ref('int_reporting_months') }}
    where
        list_contains(tables_present, 'ext_strategy_discussions')
        and list_contains(tables_present, 'ext_strategy_discussion_attendees')
),

discussions as (
    select * from {{ ref('int_strategy_discussions_attendance') }}
),

monthly as (
    select
        months.la_code,
        months.period_start,
        count(discussions.discussion_id) as discussions,
        count(*) filter (where discussions.health_attended) as health_attended,
        count(*) filter (where discussions.police_attended) as police_attended,
        count(*) filter (where discussions.education_attended) as education_attended,
        count(*) filter (where discussions.health_attended and discussions.police_attended)
            as health_and_police_attended
    from months
    left join discussions
        on months.la_code = discussions.la_code and months.period_start = discussions.period_start
    group by all
),

final as (
    select
        cast(la_code as varchar) as la_code,
        cast(period_start as date) as period_start,
        cast(discussions as bigint) as discussions,
        cast(health_attended as bigint) as health_attended,
        cast(police_attended as bigint) as police_attended,
        cast(education_attended as bigint) as education_attended,
        cast(health_and_police_attended as bigint) as health_and_police_attended,
        cast({{ safe_pct('health_attended', 'discussions') }} as double) as pct_health,
        cast({{ safe_pct('police_attended', 'discussions') }} as double) as pct_police,
        cast({{ safe_pct('education_attended', 'discussions') }} as double) as pct_education,
        cast({{ safe_pct('health_and_police_attended', 'discussions') }} as double) as pct_health_and_police
    from monthly
)

select * from final
where {{ only_changed_las() }}
