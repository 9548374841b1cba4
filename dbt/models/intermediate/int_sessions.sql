{#- One row per 30-minute-rule session: its user, first and last event and length. What happened
    in the session (page views, errors, device) is added in fct_sessions from fact_events.
    Grouped by (user_id, session_started_at), which is what session_id encodes. -#}
select
    {{ session_id('user_id', 'session_started_at') }} as session_id,
    user_id,
    session_started_at as started_at,
    max(ts) as ended_at,
    {{ seconds_between('session_started_at', 'max(ts)') }} as session_duration,
    count(*) as event_count
from {{ ref('int_event_sessions') }}
group by user_id, session_started_at
