-- child-protection plans (ssd_cp_plans) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__cp_plans', 'ssd_cp_plans', 'plan_id') }}
