{#- One row per attributed event (deduplicated, identity-resolved, sessionized). -#}
select
    e.event_id,
    e.event_name,
    e.user_id,
    e.session_id,
    e.ts,
    e.event_date,
    case when e.event_name = 'feature_used' then e.feature_name end as feature_name,
    e.plan_at_event,
    e.platform,
    e.device_type,
    e.country,
    e.app_version,
    e.properties,
    s.session_duration,
    e.error_code,
    e.error_type,
    e.os,
    e.browser,
    e.locale,
    e.page_path,
    e.anonymous_id,
    e.client_session_id,
    e.is_identity_resolved
from {{ ref('int_events') }} as e
inner join {{ ref('int_sessions') }} as s
    on e.session_id = s.session_id
