-- involvements that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__involvements', 'ssd_involvements', 'involvement_id') }}
