{#- Workspace KPIs per day of the data window. DAU/WAU/MAU count distinct users active on the
    day / in the 7 days / in the 30 days ending on the day. WAU and MAU are computed without a
    range self-join: after each active day a user stays "recently active" until the earlier of
    their next active day and the end of the 7/30-day window, so each user-day contributes one
    non-overlapping interval and a running sum of +1/-1 edges gives the distinct count. -#}
with w as (
    select * from {{ ref('int_window') }}
),

spine as (
    {{ date_spine_between('(select window_start_date from w)', '(select window_end_date from w)') }}
),

act as (
    select
        user_id,
        event_date,
        lead(event_date) over (partition by user_id order by event_date) as next_date
    from {{ ref('fct_user_activity_daily') }}
),

edges as (
    select event_date as edge_date, 1 as wau_delta, 1 as mau_delta
    from act
    union all
    select
        least(coalesce(next_date, {{ add_days('event_date', 7) }}), {{ add_days('event_date', 7) }}),
        -1,
        0
    from act
    union all
    select
        least(coalesce(next_date, {{ add_days('event_date', 30) }}), {{ add_days('event_date', 30) }}),
        0,
        -1
    from act
),

edge_sums as (
    select edge_date, sum(wau_delta) as wau_delta, sum(mau_delta) as mau_delta
    from edges
    group by edge_date
),

rolling as (
    select
        s.spine_date,
        cast(sum(coalesce(e.wau_delta, 0)) over (order by s.spine_date rows between unbounded preceding and current row) as bigint) as wau,
        cast(sum(coalesce(e.mau_delta, 0)) over (order by s.spine_date rows between unbounded preceding and current row) as bigint) as mau
    from spine as s
    left join edge_sums as e
        on s.spine_date = e.edge_date
),

daily as (
    select
        event_date,
        count(distinct user_id) as dau,
        count(*) as events,
        count(case when event_name = 'error_occurred' then 1 end) as errors,
        count(case when event_name = 'signed_up' then 1 end) as signups,
        count(case when event_name = 'subscription_started' then 1 end) as conversions
    from {{ ref('fact_events') }}
    group by event_date
),

sessions as (
    select cast(started_at as date) as session_date, count(*) as sessions
    from {{ ref('int_sessions') }}
    group by cast(started_at as date)
),

users as (
    select
        cast(first_seen as date) as first_seen_date,
        churned_at
    from {{ ref('dim_users') }}
),

new_users as (
    select first_seen_date, count(*) as new_users
    from users
    group by first_seen_date
),

churned as (
    select churned_at, count(*) as churned_users
    from users
    where churned_at is not null
    group by churned_at
)

select
    r.spine_date as metric_date,
    coalesce(d.dau, 0) as dau,
    r.wau,
    r.mau,
    coalesce(n.new_users, 0) as new_users,
    coalesce(s.sessions, 0) as sessions,
    coalesce(d.events, 0) as events,
    coalesce(d.errors, 0) as errors,
    coalesce(d.signups, 0) as signups,
    coalesce(d.conversions, 0) as conversions,
    coalesce(c.churned_users, 0) as churned_users
from rolling as r
left join daily as d on r.spine_date = d.event_date
left join sessions as s on r.spine_date = s.session_date
left join new_users as n on r.spine_date = n.first_seen_date
left join churned as c on r.spine_date = c.churned_at
