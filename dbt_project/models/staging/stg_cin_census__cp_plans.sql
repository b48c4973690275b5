{{ stage_cp_plans('cin_census') }}
