-- referrals (ssd_cin_episodes) that feed the marts: the LA's current extract, less error-level exclusions.
{{ current_rows('stg_csc__cin_episodes', 'ssd_cin_episodes', 'referral_id') }}
