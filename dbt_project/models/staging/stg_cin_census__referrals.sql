{{ stage_cin_episodes('cin_census') }}
