{{ stage_s47_enquiries('ssd') }}
