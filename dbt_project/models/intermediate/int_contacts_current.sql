-- contacts that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__contacts', 'ssd_contacts', 'contact_id') }}
