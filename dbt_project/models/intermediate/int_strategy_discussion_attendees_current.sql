-- strategy discussion attendees that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__strategy_discussion_attendees', 'ext_strategy_discussion_attendees', 'attendee_id') }}
