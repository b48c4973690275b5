{{ stage_cla_episodes('ssda903') }}
