{#- Sessionization: one row per 30-minute-rule session. A session is a run of a user's events
    with no gap longer than var('session_timeout_minutes') (30) minutes; session_id is
    '<user_id>-<epoch ms of the session's first event>'. Events are ordered by ts alone: events
    with the same ts can never split a session, so ties cannot change the result.

    One ordered window pass over the attributed events' (user_id, ts) marks each event that
    opens a session (gap before it, or the user's first) and each that closes one (gap after it,
    or the user's last), with its position; a second, small pass pairs each opening edge with
    the next edge, which is its session's closing event. Nothing per event is written:
    int_events finds each event's session with a range join (a user's sessions never overlap,
    and every event lies within exactly one session's [started_at, ended_at]).

    Gaps are compared in epoch microseconds: TIMESTAMPTZ arithmetic with intervals goes through
    DuckDB's ICU calendar and cost more than the window pass itself. -#}

{%- set gap_us = var('session_timeout_minutes') * 60000000 %}

with ordered as (
    select
        user_id,
        ts,
        lag(ts) over by_time as previous_ts,
        lead(ts) over by_time as next_ts,
        row_number() over by_time as position
    from {{ ref('stg_events') }}
    where user_id is not null
    window by_time as (partition by user_id order by ts)
),

edges as (
    select
        user_id,
        ts,
        position,
        previous_ts is null
            or {{ epoch_us('ts') }} - {{ epoch_us('previous_ts') }} > {{ gap_us }} as opens,
        next_ts is null
            or {{ epoch_us('next_ts') }} - {{ epoch_us('ts') }} > {{ gap_us }} as closes
    from ordered
),

paired as (
    select
        user_id,
        ts,
        position,
        opens,
        closes,
        lead(ts) over by_position as next_edge_ts,
        lead(position) over by_position as next_edge_position
    from edges
    where opens or closes
    window by_position as (partition by user_id order by position)
),

sessions as (
    select
        user_id,
        ts as started_at,
        case when closes then ts else next_edge_ts end as ended_at,
        case when closes then 1 else next_edge_position - position + 1 end as event_count
    from paired
    where opens
)

select
    {{ session_id('user_id', 'started_at') }} as session_id,
    user_id,
    started_at,
    ended_at,
    {{ seconds_between('started_at', 'ended_at') }} as session_duration,
    event_count
from sessions
