{{ stage_s47_enquiries('cin_census') }}
