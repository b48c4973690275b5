-- professionals that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__professionals', 'ssd_professionals', 'professional_id') }}
