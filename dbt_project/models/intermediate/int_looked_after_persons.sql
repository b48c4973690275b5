-- The children the looked-after marts know (date of birth for ages), from the same dataset as the
-- episodes (extract-contract.md: persons always come from the dataset of the events they qualify).
with final as (
    {{ family_source_rows('looked_after', {'ssd': ref('int_persons_current'), 'ssda903': ref('int_ssda903_persons_stacked')}) }}
)

select * from final
where {{ only_changed_las() }}
