{#- One row per session (30-minute inactivity rule): its span from int_sessions, what happened
    in it and the device/place of its first event from fact_events. -#}
with activity as (
    select
        session_id,
        count(case when event_name = 'page_viewed' then 1 end) as page_views,
        count(case when event_name = 'error_occurred' then 1 end) as errors,
        min_by(platform, ts) as platform,
        min_by(device_type, ts) as device_type,
        min_by(country, ts) as country,
        min_by(app_version, ts) as app_version
    from {{ ref('fact_events') }}
    group by session_id
)

select
    s.session_id,
    s.user_id,
    s.started_at,
    s.ended_at,
    s.session_duration,
    s.event_count,
    a.page_views,
    a.errors,
    a.platform,
    a.device_type,
    a.country,
    a.app_version,
    cast(s.started_at as date) as session_date
from {{ ref('int_sessions') }} as s
inner join activity as a
    on s.session_id = a.session_id
