{#- Copy of the SCD2 snapshot rows of this workspace, written to
    $TL_DBT_OUTPUT_DIR/dim_users_snapshot.parquet (the snapshot itself lives in the persistent
    snapshots database). Built after the snapshot because it refs it. -#}
{#- The mart's contract name is dim_users_snapshot (telemetry-model.md): the file on DuckDB, the
    table on Trino (where the snapshot itself does not run, so the name is free). -#}
{{ config(
    location=(env_var('TL_DBT_OUTPUT_DIR', 'target/output') ~ '/dim_users_snapshot.parquet') if target.type == 'duckdb' else none,
    alias=('dim_users_snapshot' if target.type != 'duckdb' else none)
) }}
select
    workspace_id,
    user_id,
    plan,
    plan_updated_at,
    signup_date,
    company_size,
    industry,
    country,
    dbt_scd_id,
    dbt_updated_at,
    dbt_valid_from,
    dbt_valid_to,
    dbt_valid_to is null as is_current
from {% if target.type == 'duckdb' %}{{ ref('dim_users_snapshot') }}{% else %}{{ ref('int_users_plan_scd') }}{% endif %}
where {{ workspace_filter() }}
