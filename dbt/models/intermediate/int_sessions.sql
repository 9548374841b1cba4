{#- One row per 30-minute-rule session; device and place are those of the session's first event. -#}
select
    session_id,
    min(user_id) as user_id,
    min(ts) as started_at,
    max(ts) as ended_at,
    {{ seconds_between('min(ts)', 'max(ts)') }} as session_duration,
    count(*) as event_count,
    count(case when event_name = 'page_viewed' then 1 end) as page_views,
    count(case when event_name = 'error_occurred' then 1 end) as errors,
    min_by(platform, ts) as platform,
    min_by(device_type, ts) as device_type,
    min_by(country, ts) as country,
    min_by(app_version, ts) as app_version
from {{ ref('int_events') }}
group by session_id
