{#- Incremental by LA (docs/decisions.md, "Incremental by LA").

    A model whose rows each belong to one LA, and depend only on that LA's extracts, the seeds and the
    vars, is `incremental` with the `la_replace` strategy (dbt_project.yml): a build recomputes only the
    LAs whose extracts changed since the last complete build, deletes their rows and inserts the new
    ones. Models that compare LAs, depend on today's date or audit every load stay tables.
    pipelines/core/transform_state.py runs the same comparison for the build's log (changed_las).

    The changed LAs are read from the warehouse, not passed as --vars (a new var value forces dbt to
    re-parse the whole project): raw.extract_log against raw.transform_built_extracts, the extracts
    the last complete build read (written by the Dagster dbt asset after it succeeds). An extract
    loaded, replaced or removed since then changes its LA. With no such table every LA has changed.
    A change of model code, seeds or vars needs --full-refresh; the Dagster asset passes it. -#}

{#- The LAs to rebuild, as a SQL list of quoted codes (at least one item: NULL when none).
    Asked once a build: every model and test of the build calls this, and the answer is kept in
    `graph`, the one dict dbt shares between all the nodes of an invocation (a query per call cost
    3.3 s of a refresh's SQL). One answer for the whole build is also the consistent one. -#}
{% macro changed_la_codes() -%}
    {%- if not execute -%}{{ return("NULL") }}{%- endif -%}
    {%- if 'csc_changed_la_codes' in graph -%}{{ return(graph['csc_changed_la_codes']) }}{%- endif -%}
    {%- set extract_log = adapter.get_relation(target.database, 'raw', 'extract_log') -%}
    {%- set built = adapter.get_relation(target.database, 'raw', 'transform_built_extracts') -%}
    {%- if extract_log is none -%}{{ return("NULL") }}{%- endif -%}
    {%- set query -%}
        {%- if built is none %}
        select distinct la_code from {{ extract_log }}
        {%- else %}
        select la_code from (
            (select la_code, extract_date, dataset, loaded_at from {{ extract_log }}
             except select la_code, extract_date, dataset, loaded_at from {{ built }})
            union all
            (select la_code, extract_date, dataset, loaded_at from {{ built }}
             except select la_code, extract_date, dataset, loaded_at from {{ extract_log }})
        ) group by la_code
        {%- endif %}
        order by la_code
    {%- endset -%}
    {%- set codes = run_query(query).columns[0].values() -%}
    {%- set quoted = [] -%}
    {%- for code in codes -%}{%- do quoted.append("'" ~ (code | replace("'", "''")) ~ "'") -%}{%- endfor -%}
    {%- do graph.update({'csc_changed_la_codes': quoted | join(', ') if quoted else "NULL"}) -%}
    {{ return(graph['csc_changed_la_codes']) }}
{%- endmacro %}

{#- In an incremental build: true for the rows of the changed LAs only; otherwise always true.
    A model ends `select * from final where {{ only_changed_las() }}`; where DuckDB cannot push that
    filter down to the reads, the model filters its inputs the same way. -#}
{% macro only_changed_las(column='la_code') -%}
    {#- (a unit test has no relation: `this` is none) -#}
    {%- if this is not none and is_incremental() -%} {{ column }} in ({{ changed_la_codes() }}) {%- else -%} true {%- endif -%}
{%- endmacro %}

{#- The la_replace strategy: the changed LAs' rows go, then the rows just built for them come in (an
    LA whose extract now yields no rows for this model is emptied too). -#}
{% macro get_incremental_la_replace_sql(arg_dict) -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ arg_dict['target_relation'] }} where la_code in ({{ changed_la_codes() }});
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- A data test on an incremental model or a staging view, in an incremental `dbt build`, reads only
    the changed LAs' rows: the others were tested when they were built and have not changed since.
    (Tests of tables, `dbt test` on its own and a --full-refresh build test every row.) -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set tested = [] -%}
    {%- if execute and flags.WHICH == 'build' and not flags.FULL_REFRESH -%}
        {#- the tested model is among the test's own dependencies (a relationships test has two) -#}
        {%- for node_id in model.depends_on.nodes if node_id.startswith('model.') -%}
            {%- set node = graph.nodes[node_id] -%}
            {%- if node.config.materialized in ('incremental', 'view')
                  and (node.alias or node.name) == relation.identifier and node.schema == relation.schema -%}
                {%- do tested.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set conditions = [where] if where else [] -%}
    {%- if tested -%}{%- do conditions.append("la_code in (" ~ changed_la_codes() ~ ")") -%}{%- endif -%}
    {%- if conditions -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ conditions | join(' and ') ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
