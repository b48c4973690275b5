{{ stage_cp_plans('ssd') }}
