{{ stage_persons('ssda903') }}
