{{ stage_cp_reviews('cin_census') }}
