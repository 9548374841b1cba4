{#- Sessionization (narrow: one row per attributed event). A session is a run of a user's
    events with no gap longer than var('session_timeout_minutes') (30) minutes; session_id is
    deterministic: '<user_id>-<epoch ms of the session's first event>'. The plan in force at the
    event (plan_at_event) is carried forward in the same ordered pass from int_user_plan_history;
    events before the user's first plan record get that first plan. -#}
with stream as (
    select event_id, user_id, ts, cast(null as varchar) as plan_change, 1 as row_kind
    from {{ ref('stg_events') }}
    where user_id is not null

    union all

    select cast(null as varchar) as event_id, user_id, valid_from as ts, plan as plan_change, 0 as row_kind
    from {{ ref('int_user_plan_history') }}
),

pass1 as (
    select
        event_id,
        user_id,
        ts,
        row_kind,
        -- time of the user's previous event (plan rows carry no event)
        max(case when row_kind = 1 then ts end) over (
            partition by user_id order by ts, row_kind, event_id
            rows between unbounded preceding and 1 preceding
        ) as previous_event_ts,
        last_value(plan_change ignore nulls) over (
            partition by user_id order by ts, row_kind, event_id
            rows between unbounded preceding and current row
        ) as plan_so_far
    from stream
),

flagged as (
    select
        pass1.*,
        case
            when previous_event_ts is null
              or ts > previous_event_ts + {{ minutes_interval(var('session_timeout_minutes')) }}
            then ts
        end as session_start_ts
    from pass1
    where row_kind = 1
),

assigned as (
    select
        event_id,
        user_id,
        ts,
        plan_so_far,
        max(session_start_ts) over (
            partition by user_id order by ts, event_id
            rows between unbounded preceding and current row
        ) as session_started_at
    from flagged
),

first_plan as (
    select user_id, plan as first_plan
    from {{ ref('int_user_plan_history') }}
    where spell_number = 1
)

select
    a.event_id,
    a.user_id,
    a.ts,
    a.user_id || '-' || cast({{ epoch_ms('a.session_started_at') }} as varchar) as session_id,
    a.session_started_at,
    coalesce(a.plan_so_far, fp.first_plan) as plan_at_event
from assigned as a
left join first_plan as fp
    on a.user_id = fp.user_id
