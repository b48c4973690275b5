-- Episodes eligible for a return home interview, with each RHI measure as a flag.
-- Eligible: type M (plus A when var rhi_include_away), returned (has an end time), and the child
-- under 18 at the return: the 18th birthday is after the local date of the return (unknown DOB
-- counts as under 18; a 29 February birthday falls on 1 March in other years).
with episodes as (
    select * from {{ ref('int_missing_episodes_current') }}
),

persons as (
    select * from {{ ref('int_persons_current') }}
),

extracts as (
    select * from {{ ref('int_extracts_current') }}
    where {{ current_ssd_extract() }}
),

with_birthday as (
    select
        episodes.*,
        extracts.as_at,
        case
            when persons.date_of_birth is null then null
            when
                month(persons.date_of_birth) = 2 and day(persons.date_of_birth) = 29
                and not (
                    (year(persons.date_of_birth) + 18) % 4 = 0
                    and ((year(persons.date_of_birth) + 18) % 100 <> 0 or (year(persons.date_of_birth) + 18) % 400 = 0)
                )
                then make_date(year(persons.date_of_birth) + 18, 3, 1)
            else make_date(year(persons.date_of_birth) + 18, month(persons.date_of_birth), day(persons.date_of_birth))
        end as eighteenth_birthday
    from episodes
    inner join extracts
        on episodes.la_code = extracts.la_code and episodes.extract_date = extracts.extract_date
    left join persons
        on
            episodes.la_code = persons.la_code
            and episodes.extract_date = persons.extract_date
            and episodes.person_id = persons.person_id
),

eligible as (
    select *
    from with_birthday
    where
        returned_at is not null
        and (episode_type = 'M' {% if var('rhi_include_away') %} or episode_type = 'A' {% endif %})
        and (eighteenth_birthday is null or eighteenth_birthday > cast(returned_at as date))
),

final as (
    select
        la_code,
        extract_date,
        episode_id,
        person_id,
        returned_at,
        cast(date_trunc('month', returned_at) as date) as period_start,
        rhi_offered = 'Y' as is_offered,
        rhi_completed_at is not null as is_completed,
        {{ elapsed_hours('returned_at', 'rhi_completed_at') }} as hours_to_interview,
        rhi_completed_at is not null
        and {{ elapsed_hours('returned_at', 'rhi_completed_at') }} <= 72 as is_within_72h,
        rhi_completed_at is not null and rhi_independent = 'Y' as is_independent,
        rhi_completed_at is null
        and {{ elapsed_hours('returned_at', 'as_at') }} < 72 as is_pending
    from eligible
)

select * from final
where {{ only_changed_las() }}
