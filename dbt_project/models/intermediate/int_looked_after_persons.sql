-- The children the looked-after marts know (date of birth for ages), from the same dataset as the
-- episodes (extract-contract.md: persons always come from the dataset of the events they qualify).
with sources as (
    select
        la_code,
        source_dataset
    from {{ ref('int_family_sources') }}
    where family = 'looked_after'
),

final as (
    select persons.*
    from {{ ref('int_persons_current') }} as persons
    inner join sources on persons.la_code = sources.la_code and sources.source_dataset = 'ssd'
    union all by name
    select persons.*
    from {{ ref('int_ssda903_persons_stacked') }} as persons
    inner join sources on persons.la_code = sources.la_code and sources.source_dataset = 'ssda903'
)

select * from final
