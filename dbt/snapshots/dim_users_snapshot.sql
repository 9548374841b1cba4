{#- (DuckDB only; on Trino the same history is models/intermediate/int_users_plan_scd.sql.)
    SCD type 2 history of each user's plan, kept in the persistent `snapshots` database
    ($TL_DBT_SNAPSHOT_DATABASE). A new version is opened when the user's current plan changed
    since the previous run; dbt_valid_from is the time of the plan change (plan_updated_at). -#}
{% snapshot dim_users_snapshot %}
{{
    config(
        enabled=(target.type == 'duckdb'),
        target_database='snapshots',
        target_schema='main',
        unique_key=['workspace_id', 'user_id'],
        strategy='timestamp',
        updated_at='plan_updated_at',
    )
}}
select
    workspace_id,
    user_id,
    plan,
    -- naive UTC timestamp: dbt's snapshot meta columns are TIMESTAMP
    cast(plan_updated_at as timestamp) as plan_updated_at,
    signup_date,
    company_size,
    industry,
    country
from {{ ref('dim_users') }}
{% endsnapshot %}
