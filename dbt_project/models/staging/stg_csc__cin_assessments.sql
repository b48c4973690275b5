{{ stage_cin_assessments('ssd') }}
