-- Each strategy discussion of a current extract with which agencies attended (only Y counts).
with discussions as (
    select * from {{ ref('int_strategy_discussions_current') }}
),

attendees as (
    select * from {{ ref('int_strategy_discussion_attendees_current') }}
),

attendance as (
    select
        la_code,
        extract_date,
        discussion_id,
        bool_or(agency = 'HEALTH' and attendance = 'Y') as health_attended,
        bool_or(agency = 'POLICE' and attendance = 'Y') as police_attended,
        bool_or(agency = 'EDUCATION' and attendance = 'Y') as education_attended
    from attendees
    group by all
),

final as (
    select
        discussions.la_code,
        discussions.extract_date,
        discussions.discussion_id,
        discussions.held_at,
        cast(date_trunc('month', discussions.held_at) as date) as period_start,
        coalesce(attendance.health_attended, false) as health_attended,
        coalesce(attendance.police_attended, false) as police_attended,
        coalesce(attendance.education_attended, false) as education_attended
    from discussions
    left join attendance
        on
            discussions.la_code = attendance.la_code
            and discussions.extract_date = attendance.extract_date
            and discussions.discussion_id = attendance.discussion_id
)

select * from final
where {{ only_changed_las() }}
