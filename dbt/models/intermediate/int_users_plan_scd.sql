{#- The plan history of each user (SCD type 2) on Trino, where dbt's snapshot cannot run (it
    MERGEs into its table; see macros/trino.macros.sql). Same rows and columns as the snapshot
    dim_users_snapshot on DuckDB: a new version opens when a user's plan_updated_at is later than
    their current version's, dbt_valid_from is that time and dbt_valid_to the next version's.
    Its history must outlive the per-run schemas, so it lives in the fixed schema tl_snapshots,
    one table per workspace; each run reads the previous table ({{ this }}) and writes the new
    one with CREATE TABLE AS (the table materialization renames it into place). -#}
{{ config(
    enabled=(target.type != 'duckdb'),
    materialized='table',
    schema='tl_snapshots',
    alias='users_plan_scd__' ~ (workspace_id() | lower | replace('-', '_')),
) }}
{%- set prior = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) if execute else none -%}

with current_users as (
    select
        workspace_id,
        user_id,
        plan,
        cast(plan_updated_at as timestamp(6)) as plan_updated_at,
        signup_date,
        company_size,
        industry,
        country
    from {{ ref('dim_users') }}
),

prior as (
    {% if prior is not none -%}
    select workspace_id, user_id, plan, plan_updated_at, signup_date, company_size, industry,
           country, dbt_scd_id, dbt_updated_at, dbt_valid_from
    from {{ prior }}
    {%- else -%}
    select workspace_id, user_id, plan, plan_updated_at, signup_date, company_size, industry,
           country, cast(null as varchar) as dbt_scd_id, plan_updated_at as dbt_updated_at,
           plan_updated_at as dbt_valid_from
    from current_users where 1 = 0
    {%- endif %}
),

prior_current as (
    select workspace_id, user_id, max(dbt_updated_at) as dbt_updated_at
    from prior
    group by workspace_id, user_id
),

new_versions as (
    select
        c.*,
        lower(to_hex(md5(to_utf8(c.workspace_id || '|' || c.user_id || '|' || cast(c.plan_updated_at as varchar))))) as dbt_scd_id,
        c.plan_updated_at as dbt_updated_at,
        c.plan_updated_at as dbt_valid_from
    from current_users as c
    left join prior_current as p
      on p.workspace_id = c.workspace_id and p.user_id = c.user_id
    where c.plan_updated_at is not null
      and (p.dbt_updated_at is null or c.plan_updated_at > p.dbt_updated_at)
),

versions as (
    select * from prior
    union all
    select * from new_versions
)

select
    *,
    lead(dbt_valid_from) over (partition by workspace_id, user_id order by dbt_valid_from) as dbt_valid_to
from versions
