{#- Sessionization (narrow: one row per attributed event). A session is a run of a user's
    events with no gap longer than var('session_timeout_minutes') (30) minutes, identified by
    (user_id, session_started_at) — session_id, '<user_id>-<epoch ms of the session's first
    event>', is spelled out in int_sessions and int_events. Events are ordered by
    ts alone: events with the same ts can never split a session, so ties cannot change the
    result.

    Kept narrow (no event payload, no plan) so the ordered window pass over all events and
    the write of its result stay cheap; the plan and the payload are joined in int_events. -#}

with flagged as (
    select
        event_id,
        user_id,
        ts,
        case
            when lag(ts) over (partition by user_id order by ts)
                 >= ts - {{ minutes_interval(var('session_timeout_minutes')) }}
            then null
            else ts
        end as session_start_ts
    from {{ ref('stg_events') }}
    where user_id is not null
),

assigned as (
    select
        event_id,
        user_id,
        ts,
        max(session_start_ts) over (
            partition by user_id order by ts
            rows between unbounded preceding and current row
        ) as session_started_at
    from flagged
)

select
    event_id,
    user_id,
    ts,
    session_started_at
from assigned
