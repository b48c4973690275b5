-- Each child-protection plan that feeds the marts with whether it is a repeat plan: the child had
-- another plan starting before this one's start, or the council recorded previous plans (>= 1). A plan
-- bounded by a newer CIN census ends on `end_date` but in no month's `cp_plans_ended`.
with plans as (
    select * from {{ ref('int_cp_plans_current') }}
),

earlier as (
    select distinct
        later.la_code,
        later.plan_id
    from plans as later
    inner join plans as earlier
        on
            later.la_code = earlier.la_code
            and later.person_id = earlier.person_id
            and later.start_date > earlier.start_date
),

final as (
    select
        plans.la_code,
        plans.extract_date,
        plans.plan_id,
        plans.person_id,
        plans.start_date,
        plans.end_date,
        cast(date_trunc('month', plans.start_date) as date) as started_period,
        case when not plans.is_bounded then cast(date_trunc('month', plans.end_date) as date) end as ended_period,
        earlier.plan_id is not null or coalesce(plans.previous_plans >= 1, false) as is_repeat
    from plans
    left join earlier on plans.la_code = earlier.la_code and plans.plan_id = earlier.plan_id
)

select * from final
where {{ only_changed_las() }}
