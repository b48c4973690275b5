{{ stage_cin_assessments('cin_census') }}
