{#- Feature usage per day, feature and plan (plan in force at the time of use). -#}
select
    event_date,
    feature_name,
    plan_at_event as plan,
    count(distinct user_id) as active_users,
    count(*) as events
from {{ ref('fact_events') }}
where event_name = 'feature_used'
  and feature_name is not null
group by event_date, feature_name, plan_at_event
