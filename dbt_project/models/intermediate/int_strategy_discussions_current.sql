-- strategy discussions that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__strategy_discussions', 'ext_strategy_discussions', 'discussion_id') }}
