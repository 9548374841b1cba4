{#- One row per session (30-minute inactivity rule). -#}
select
    session_id,
    user_id,
    started_at,
    ended_at,
    session_duration,
    event_count,
    page_views,
    errors,
    platform,
    device_type,
    country,
    app_version,
    cast(started_at as date) as session_date
from {{ ref('int_sessions') }}
