{{ stage_initial_cp_conferences('cin_census') }}
