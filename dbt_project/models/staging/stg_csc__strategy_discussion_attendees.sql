with source as (
    select * from {{ source('csc', 'ext_strategy_discussion_attendees') }}
    where dataset = 'ssd'  -- the statutory returns come in through their own staging models
),

renamed as (
    select
        la_code,
        extract_date,
        stda_attendee_id as attendee_id,
        stda_discussion_id as discussion_id,
        stda_agency as agency,
        stda_role as attendee_role,
        stda_attended as attendance
    from source
)

select * from renamed
