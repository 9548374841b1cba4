{#- The workspace's data window (one row): first/last attributed event, and the churn cut-off
    date. churn_cutoff_date = window_end_date - churn_horizon_days (14): a user whose last event
    is on or before it has had no event in the last 14 days of the window. -#}
with bounds as (
    select min(started_at) as window_start_at, max(ended_at) as window_end_at
    from {{ ref('int_sessions') }}
)

select
    window_start_at,
    window_end_at,
    cast(window_start_at as date) as window_start_date,
    cast(window_end_at as date) as window_end_date,
    {{ add_days('cast(window_end_at as date)', -var('churn_horizon_days')) }} as churn_cutoff_date
from bounds
