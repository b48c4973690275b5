-- assessments (ssd_cin_assessments) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__cin_assessments', 'ssd_cin_assessments', 'assessment_id') }}
