{#- One row per user and day with at least one event. -#}
select
    user_id,
    event_date,
    count(*) as events,
    count(distinct session_id) as sessions,
    count(case when event_name = 'feature_used' then 1 end) as feature_uses,
    count(case when event_name = 'error_occurred' then 1 end) as errors
from {{ ref('fact_events') }}
group by user_id, event_date
