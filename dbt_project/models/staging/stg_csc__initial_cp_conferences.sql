{{ stage_initial_cp_conferences('ssd') }}
