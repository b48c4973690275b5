-- teams that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__teams', 'ssd_department', 'team_id') }}
