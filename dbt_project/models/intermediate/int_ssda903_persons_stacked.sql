-- The children of an LA's SSDA903 returns stacked into one history (statutory-returns.md,
-- "Stacking"): each child takes the header row of the newest unblocked return that loaded them. A
-- child excluded there by an error-level check is left out (an older row never comes back); persons
-- are never bounded or dropped by a newer return's coverage.
{{ newest_return_rows('stg_ssda903__persons', 'ssda903', 'ssd_person', 'person_id') }}
