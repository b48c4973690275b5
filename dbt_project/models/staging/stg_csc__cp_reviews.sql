{{ stage_cp_reviews('ssd') }}
