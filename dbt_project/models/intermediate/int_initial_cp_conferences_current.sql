-- initial child-protection conferences (ssd_initial_cp_conference) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__initial_cp_conferences', 'ssd_initial_cp_conference', 'conference_id') }}
