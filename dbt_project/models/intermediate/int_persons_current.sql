-- persons that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__persons', 'ssd_person', 'person_id') }}
