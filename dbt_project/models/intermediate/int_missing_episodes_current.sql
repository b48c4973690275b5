-- missing episodes that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__missing_episodes', 'ssd_missing', 'episode_id') }}
