{#- The workspace's data window (one row): first/last event, and the churn cut-off date.
    churn_cutoff_date = window_end_date - churn_horizon_days (14): a user whose last event is on
    or before it has had no event in the last 14 days of the window. -#}
select
    min(ts) as window_start_at,
    max(ts) as window_end_at,
    min(event_date) as window_start_date,
    max(event_date) as window_end_date,
    {{ add_days('max(event_date)', -var('churn_horizon_days')) }} as churn_cutoff_date
from {{ ref('int_events') }}
