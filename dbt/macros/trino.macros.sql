{#- Trino (distributed mode) specifics.

    Trino's Delta Lake connector has no transaction-log writer for a local file system, so on a
    lake folder it can CREATE TABLE … AS SELECT (a new table) but never INSERT into, MERGE into or
    UPDATE an existing table. Everything this project writes on Trino is therefore a CREATE TABLE
    AS: the seeds below, the models (dbt-trino's table materialization: CTAS to a temporary name,
    then renames), and the plan history (int_users_plan_scd), which replaces the dbt snapshot
    there. -#}

{#- A seed is one CREATE TABLE AS over its rows (dbt-trino's seed would CREATE an empty table and
    INSERT the rows). Values are cast from their CSV text to the column type (the project's
    column_types, else dbt's inferred type). -#}
{% macro trino__create_csv_table(model, agate_table, on_exists=None) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set names = agate_table.column_names -%}
  {%- set types = [] -%}
  {%- for col_name in names -%}
    {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
  {%- endfor -%}
  {% set sql %}
    create table {{ this.render() }} as
    select
      {%- for col_name in names %}
      cast(c{{ loop.index0 }} as {{ types[loop.index0] }}) as {{ adapter.quote(col_name | string) }}{{ "," if not loop.last }}
      {%- endfor %}
    from (
      values
      {%- for row in agate_table.rows %}
        ({% for value in row -%}
          {%- if value is none -%} cast(null as varchar)
          {%- else -%} '{{ (value | string | lower if value is sameas true or value is sameas false else value | string) | replace("'", "''") }}'
          {%- endif -%}{{ ", " if not loop.last }}
        {%- endfor %}){{ "," if not loop.last }}
      {%- endfor %}
    ) as t({% for col_name in names %}c{{ loop.index0 }}{{ ", " if not loop.last }}{% endfor %})
  {% endset %}
  {% call statement('_') -%} {{ sql }} {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{#- The rows went in with the CREATE TABLE AS above. -#}
{% macro trino__load_csv_rows(model, agate_table) %}
  {{ return('') }}
{% endmacro %}

{#- A custom schema is used as given (only int_users_plan_scd has one: its history outlives the
    run schemas the rest of a Trino build writes to). Without one: the target's schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%} {{ target.schema }} {%- else -%} {{ custom_schema_name | trim }} {%- endif -%}
{%- endmacro %}
