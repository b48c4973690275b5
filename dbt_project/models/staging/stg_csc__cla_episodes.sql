{{ stage_cla_episodes('ssd') }}
