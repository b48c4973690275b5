-- A council's planned looked-after number on each snapshot date (seed lac_trajectory): the straight
-- line between the two plan points around D by days, the point's own value on a point; null before
-- the first point, after the last, or when the plan has fewer than two points.
with months as (
    select distinct
        la_code,
        snapshot_date
    from {{ ref('int_family_months') }}
    where family = 'looked_after'
),

plan as (
    select
        la_code,
        target_date,
        looked_after_target,
        count(*) over (partition by la_code) as points
    from {{ ref('lac_trajectory') }}
),

around as (
    select
        months.la_code,
        months.snapshot_date,
        max_by(plan.target_date, plan.target_date) filter (where plan.target_date <= months.snapshot_date) as before_date,
        max_by(plan.looked_after_target, plan.target_date) filter (where plan.target_date <= months.snapshot_date)
            as before_target,
        min_by(plan.target_date, plan.target_date) filter (where plan.target_date >= months.snapshot_date) as after_date,
        min_by(plan.looked_after_target, plan.target_date) filter (where plan.target_date >= months.snapshot_date)
            as after_target
    from months
    inner join plan on months.la_code = plan.la_code and plan.points >= 2
    group by all
),

final as (
    select
        la_code,
        snapshot_date,
        case
            when before_date = after_date then before_target::double
            else
                before_target + (after_target - before_target)
                * date_diff('day', before_date, snapshot_date) / date_diff('day', before_date, after_date)
        end as trajectory_target
    from around
    where before_date is not null and after_date is not null
)

select * from final
where {{ only_changed_las() }}
