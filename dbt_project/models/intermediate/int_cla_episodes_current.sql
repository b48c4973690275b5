-- episodes of care (ssd_cla_episodes) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__cla_episodes', 'ssd_cla_episodes', 'episode_id') }}
