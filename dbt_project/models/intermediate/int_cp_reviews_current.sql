-- review child-protection conferences (ssd_cp_reviews) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__cp_reviews', 'ssd_cp_reviews', 'review_id') }}
