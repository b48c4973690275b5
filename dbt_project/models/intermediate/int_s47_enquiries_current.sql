-- section 47 enquiries (ssd_s47_enquiry) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__s47_enquiries', 'ssd_s47_enquiry', 'enquiry_id') }}
