{#- Attributed events (user_id known) enriched with their 30-minute-rule session and the plan
    in force at the event. Events that stayed anonymous (no identify ever linked their
    anonymous_id) are left out here and downstream; they remain in stg_events. -#}
select
    e.event_id,
    e.event_name,
    e.user_id,
    s.session_id,
    s.session_started_at,
    e.client_session_id,
    e.anonymous_id,
    e.is_identity_resolved,
    e.ts,
    e.event_date,
    e.feature_name,
    s.plan_at_event,
    e.platform,
    e.os,
    e.browser,
    e.device_type,
    e.country,
    e.locale,
    e.app_version,
    e.page_path,
    e.properties,
    e.error_code,
    e.error_type,
    e.page,
    e.duration_ms,
    e.plan,
    e.from_plan,
    e.to_plan,
    e.billing_period,
    e.mrr_usd,
    e.cancel_reason,
    e.experiment_key,
    e.variant,
    e.export_format,
    e.invitee_role
from {{ ref('stg_events') }} as e
inner join {{ ref('int_event_sessions') }} as s
    on e.event_id = s.event_id
