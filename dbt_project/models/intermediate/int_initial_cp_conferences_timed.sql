-- Each initial conference that feeds the marts with its section 47 enquiry (when it has one that
-- feeds the marts) and the 15-working-day standard: held on or before add_working_days(enquiry
-- start, 15) (macro join_add_working_days).
with conferences as (
    select * from {{ ref('int_initial_cp_conferences_current') }}
),

enquiries as (
    select * from {{ ref('int_s47_enquiries_current') }}
),

final as (
    select
        conferences.la_code,
        conferences.extract_date,
        conferences.conference_id,
        conferences.person_id,
        conferences.conference_date,
        conferences.participation,
        cast(date_trunc('month', conferences.conference_date) as date) as period_start,
        enquiries.enquiry_id is not null as is_after_s47,
        enquiries.start_date as s47_start_date,
        day15.date_day as due_by,
        conferences.conference_date <= day15.date_day as is_within_15wd
    from conferences
    left join enquiries
        on conferences.la_code = enquiries.la_code and conferences.enquiry_id = enquiries.enquiry_id
    {{ join_add_working_days('enquiries.start_date', 15, 'day15') }}
)

select * from final
where {{ only_changed_las() }}
