{#- bronze_relation(name): the bronze table `name`, or an empty, correctly typed relation
    when the lake does not have it yet (bronze.identifies only appears after the first
    identify call). source() is always called so lineage and docs stay complete. -#}
{% macro bronze_relation(name) -%}
  {%- set rel = source('bronze', name) -%}
  {%- if execute and not bronze_exists(name) -%}
    {{ log("bronze." ~ name ~ " does not exist in the lake; using an empty relation", info=True) }}
    (select {% for col, typ in bronze_columns(name).items() %}cast(null as {{ typ }}) as {{ col }}{{ ", " if not loop.last }}{% endfor %} where 1 = 0)
  {%- else -%}
    {{ rel }}
  {%- endif -%}
{%- endmacro %}

{% macro bronze_exists(name) -%}
  {{ return(adapter.dispatch('bronze_exists', 'telemetry_lakehouse')(name)) }}
{%- endmacro %}

{% macro duckdb__bronze_exists(name) -%}
  {#- A Delta table exists when its _delta_log folder holds at least one commit file. -#}
  {%- set log_glob = (env_var('TL_LAKE_DIR', 'lake') ~ '/bronze/' ~ name ~ '/_delta_log/*.json') | replace("'", "''") -%}
  {%- set res = run_query("select count(*) from glob('" ~ log_glob ~ "')") -%}
  {{ return(res.columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro default__bronze_exists(name) -%}
  {%- set src = source('bronze', name) -%}
  {%- set rel = adapter.get_relation(database=src.database, schema=src.schema, identifier=src.identifier) -%}
  {{ return(rel is not none) }}
{%- endmacro %}

{#- Column types of the bronze tables (telemetry-model.md, section 2) for the empty fallback. -#}
{% macro bronze_columns(name) -%}
  {%- set ts = dbt.type_timestamp() ~ ' with time zone' if target.type == 'duckdb' else 'timestamp(6) with time zone' -%}
  {%- set s = dbt.type_string() -%}
  {%- if name == 'identifies' -%}
    {{ return({'workspace_id': s, 'user_id': s, 'anonymous_id': s, 'ts': ts, 'received_at': ts,
               'traits': s, 'source': s, 'ingest_batch_id': s}) }}
  {%- else -%}
    {{ return({'event_id': s, 'workspace_id': s, 'event': s, 'user_id': s, 'anonymous_id': s,
               'session_id': s, 'ts': ts, 'event_date': 'date', 'received_at': ts, 'sent_at': ts,
               'properties': s, 'app_version': s, 'platform': s, 'os': s, 'browser': s,
               'device_type': s, 'country': s, 'locale': s, 'page_path': s, 'source': s,
               'ingest_batch_id': s}) }}
  {%- endif -%}
{%- endmacro %}
