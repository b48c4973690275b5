{{ stage_cin_episodes('ssd') }}
