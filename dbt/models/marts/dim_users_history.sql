{#- Copy of the SCD2 snapshot rows of this workspace, written to
    $TL_DBT_OUTPUT_DIR/dim_users_snapshot.parquet (the snapshot itself lives in the persistent
    snapshots database). Built after the snapshot because it refs it. -#}
{{ config(
    location=(env_var('TL_DBT_OUTPUT_DIR', 'target/output') ~ '/dim_users_snapshot.parquet') if target.type == 'duckdb' else none
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
from {{ ref('dim_users_snapshot') }}
where {{ workspace_filter() }}
