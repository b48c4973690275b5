{{ stage_persons('ssd') }}
