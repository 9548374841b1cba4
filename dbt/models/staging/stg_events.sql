{#- Events of the workspace: one row per event_id (the earliest received copy), anonymous
    events attributed to the user an identify call linked them to, properties parsed once. -#}
{%- set prop_keys = ['feature_name', 'duration_ms', 'page', 'error_code', 'error_type', 'plan',
                     'from_plan', 'to_plan', 'billing_period', 'mrr_usd', 'reason', 'experiment_key',
                     'variant', 'signup_method', 'channel', 'template', 'invitee_role', 'format',
                     'results_count', 'steps_completed', 'method'] -%}
{%- set idx = {} -%}
{%- for k in prop_keys %}{% do idx.update({k: loop.index}) %}{% endfor -%}

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
        {{ json_extract_strings('properties', prop_keys) }} as p
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
    p[{{ idx.feature_name }}] as feature_name,
    try_cast(p[{{ idx.duration_ms }}] as bigint) as duration_ms,
    p[{{ idx.page }}] as page,
    p[{{ idx.error_code }}] as error_code,
    p[{{ idx.error_type }}] as error_type,
    p[{{ idx.plan }}] as plan,
    p[{{ idx.from_plan }}] as from_plan,
    p[{{ idx.to_plan }}] as to_plan,
    p[{{ idx.billing_period }}] as billing_period,
    try_cast(p[{{ idx.mrr_usd }}] as double) as mrr_usd,
    p[{{ idx.reason }}] as cancel_reason,
    p[{{ idx.experiment_key }}] as experiment_key,
    p[{{ idx.variant }}] as variant,
    p[{{ idx.signup_method }}] as signup_method,
    p[{{ idx.channel }}] as channel,
    p[{{ idx.template }}] as project_template,
    p[{{ idx.invitee_role }}] as invitee_role,
    p[{{ idx.format }}] as export_format,
    try_cast(p[{{ idx.results_count }}] as bigint) as results_count,
    try_cast(p[{{ idx.steps_completed }}] as bigint) as steps_completed,
    p[{{ idx.method }}] as login_method
from parsed as e
left join {{ ref('stg_identity_map') }} as m
    on e.user_id is null
   and e.anonymous_id = m.anonymous_id
