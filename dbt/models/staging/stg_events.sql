{#- Events of the workspace: one row per event_id (the earliest received copy), anonymous
    events attributed to the user an identify call linked them to, and the properties each
    event type carries (telemetry-model.md §4) as typed columns.

    A view: its consumers read only the columns they need, so the wide rows are scanned from
    bronze and written once, into fact_events. The bronze relation is inlined (not a CTE that
    is referenced twice), so DuckDB never materialises the wide rows in between. -#}
{{ config(materialized='view') }}

with deduped as (
    {{ dedupe_first(bronze_relation('events'), workspace_filter(), 'event_id',
                    'received_at, ingest_batch_id', ref('stg_event_duplicates')) }}
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
    {{ event_property('e', 'feature_name', ['feature_used']) }} as feature_name,
    {{ event_property('e', 'duration_ms', ['page_viewed', 'feature_used'], 'bigint') }} as duration_ms,
    {{ event_property('e', 'page', ['page_viewed']) }} as page,
    {{ event_property('e', 'error_code', ['error_occurred']) }} as error_code,
    {{ event_property('e', 'error_type', ['error_occurred']) }} as error_type,
    {{ event_property('e', 'plan', ['subscription_started', 'subscription_cancelled']) }} as plan,
    {{ event_property('e', 'from_plan', ['subscription_upgraded']) }} as from_plan,
    {{ event_property('e', 'to_plan', ['subscription_upgraded']) }} as to_plan,
    {{ event_property('e', 'billing_period', ['subscription_started']) }} as billing_period,
    {{ event_property('e', 'mrr_usd', ['subscription_started', 'subscription_upgraded'], 'double') }} as mrr_usd,
    {{ event_property('e', 'reason', ['subscription_cancelled']) }} as cancel_reason,
    {{ event_property('e', 'experiment_key', ['experiment_exposed']) }} as experiment_key,
    {{ event_property('e', 'variant', ['experiment_exposed']) }} as variant,
    {{ event_property('e', 'signup_method', ['signed_up']) }} as signup_method,
    {{ event_property('e', 'channel', ['signed_up']) }} as channel,
    {{ event_property('e', 'template', ['project_created']) }} as project_template,
    {{ event_property('e', 'invitee_role', ['teammate_invited']) }} as invitee_role,
    {{ event_property('e', 'format', ['report_exported']) }} as export_format,
    {{ event_property('e', 'results_count', ['search_performed'], 'bigint') }} as results_count,
    {{ event_property('e', 'steps_completed', ['onboarding_completed'], 'bigint') }} as steps_completed,
    {{ event_property('e', 'method', ['logged_in']) }} as login_method
from deduped as e
left join {{ ref('stg_identity_map') }} as m
    on e.anonymous_id = m.anonymous_id
