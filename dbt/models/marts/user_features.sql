{#- Feature store: one row per user known on as_of_date. as_of_date is the churn cut-off
    (last event date of the workspace minus 14 days), so every feature looks only at events on
    or before as_of_date and the label `churned` (no event after as_of_date) is never leaked
    into the features. Windows: 7d = as_of_date-6 .. as_of_date, 30d = as_of_date-29 .. as_of_date. -#}
with w as (
    select churn_cutoff_date as as_of_date from {{ ref('int_window') }}
),

users as (
    select u.user_id, u.last_seen, w.as_of_date
    from {{ ref('dim_users') }} as u
    cross join w
    where cast(u.first_seen as date) <= w.as_of_date
),

events_30d as (
    select
        e.user_id,
        count(*) as events_30d,
        count(case when e.event_date >= {{ add_days('w.as_of_date', -6) }} then 1 end) as events_7d,
        count(distinct e.event_date) as active_days_30d,
        count(distinct case when e.event_name = 'feature_used' then e.feature_name end) as distinct_features_30d,
        count(case when e.event_name = 'report_exported' then 1 end) as reports_exported_30d,
        count(case when e.event_name = 'error_occurred' then 1 end) as errors_30d
    from {{ ref('fact_events') }} as e
    cross join w
    where e.event_date between {{ add_days('w.as_of_date', -29) }} and w.as_of_date
    group by e.user_id
),

sessions_30d as (
    select
        s.user_id,
        count(*) as sessions_30d,
        avg(s.session_duration) as avg_session_duration_30d
    from {{ ref('int_sessions') }} as s
    cross join w
    where cast(s.started_at as date) between {{ add_days('w.as_of_date', -29) }} and w.as_of_date
    group by s.user_id
),

invites as (
    select e.user_id, count(*) as teammates_invited
    from {{ ref('fact_events') }} as e
    cross join w
    where e.event_name = 'teammate_invited'
      and e.event_date <= w.as_of_date
    group by e.user_id
)

select
    u.user_id,
    u.as_of_date,
    coalesce(e.events_7d, 0) as events_7d,
    coalesce(e.events_30d, 0) as events_30d,
    coalesce(e.active_days_30d, 0) as active_days_30d,
    coalesce(s.sessions_30d, 0) as sessions_30d,
    coalesce(s.avg_session_duration_30d, 0) as avg_session_duration_30d,
    coalesce(e.distinct_features_30d, 0) as distinct_features_30d,
    coalesce(e.reports_exported_30d, 0) as reports_exported_30d,
    coalesce(i.teammates_invited, 0) as teammates_invited,
    coalesce(e.errors_30d, 0) as errors_30d,
    case when coalesce(e.events_30d, 0) > 0 then cast(e.errors_30d as double) / e.events_30d else 0 end as error_rate_30d,
    cast(u.last_seen as date) <= u.as_of_date as churned
from users as u
left join events_30d as e on u.user_id = e.user_id
left join sessions_30d as s on u.user_id = s.user_id
left join invites as i on u.user_id = i.user_id
