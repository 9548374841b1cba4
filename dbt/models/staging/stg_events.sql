{#- Events of the workspace: one row per event_id (the earliest received copy), anonymous
    events attributed to the user an identify call linked them to, properties parsed once. -#}
{%- set prop_keys = ['feature_name', 'duration_ms', 'page', 'error_code', 'error_type', 'plan',
                     'from_plan', 'to_plan', 'billing_period', 'mrr_usd', 'reason', 'experiment_key',
                     'variant', 'signup_method', 'channel', 'template', 'invitee_role', 'format',
                     'results_count', 'steps_completed', 'method'] -%}

with src as (
    select *
    from {{ bronze_relation('events') }}
    where {{ workspace_filter() }}
),

deduped as (
    {{ dedupe_first('src', 'event_id', 'received_at, ingest_batch_id') }}
),

parsed as (
    select
        deduped.*,
        {{ json_fields('properties', prop_keys) }} as p
    from deduped
)

select
    e.event_id,
    e.workspace_id,
    e.event as event_name,
    coalesce(e.user_id, m.user_id) as user_id,
    e.user_id as raw_user_id,
    (e.user_id is null and m.user_id is not null) as is_identity_resolved,
    e.anonymous_id,
    e.session_id as client_session_id,
    e.ts,
    e.event_date,
    e.received_at,
    e.sent_at,
    e.properties,
    e.app_version,
    e.platform,
    e.os,
    e.browser,
    e.device_type,
    e.country,
    e.locale,
    e.page_path,
    e.source,
    e.ingest_batch_id,
    p."feature_name" as feature_name,
    try_cast(p."duration_ms" as bigint) as duration_ms,
    p."page" as page,
    p."error_code" as error_code,
    p."error_type" as error_type,
    p."plan" as plan,
    p."from_plan" as from_plan,
    p."to_plan" as to_plan,
    p."billing_period" as billing_period,
    try_cast(p."mrr_usd" as double) as mrr_usd,
    p."reason" as cancel_reason,
    p."experiment_key" as experiment_key,
    p."variant" as variant,
    p."signup_method" as signup_method,
    p."channel" as channel,
    p."template" as project_template,
    p."invitee_role" as invitee_role,
    p."format" as export_format,
    try_cast(p."results_count" as bigint) as results_count,
    try_cast(p."steps_completed" as bigint) as steps_completed,
    p."method" as login_method
from parsed as e
left join {{ ref('stg_identity_map') }} as m
    on e.anonymous_id = m.anonymous_id
