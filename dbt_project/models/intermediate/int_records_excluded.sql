-- Records an error-level data-quality check excluded from the KPI marts (cascades included:
-- the ingest step checks a table after the tables it refers to).
select distinct
    la_code,
    extract_date,
    dataset,
    table_name,
    record_id
from {{ ref('stg_csc__dq_failures') }}
where severity = 'error' and {{ only_changed_las() }}
