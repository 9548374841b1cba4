{#- The product's features: the catalog seed plus any feature seen in feature_used events. -#}
with usage as (
    select
        feature_name,
        min(ts) as first_used_at,
        count(*) as lifetime_events,
        count(distinct user_id) as lifetime_users
    from {{ ref('fact_events') }}
    where event_name = 'feature_used'
      and feature_name is not null
    group by feature_name
),

catalog as (
    select * from {{ ref('features') }}
)

select
    coalesce(c.feature_name, u.feature_name) as feature_name,
    coalesce(c.category, 'uncatalogued') as category,
    coalesce(c.launched_at, cast(u.first_used_at as date)) as launched_at,
    coalesce(c.is_premium, false) as is_premium,
    c.feature_name is not null as is_catalogued,
    c.launched_at is null as launched_at_is_observed,
    u.first_used_at,
    coalesce(u.lifetime_events, 0) as lifetime_events,
    coalesce(u.lifetime_users, 0) as lifetime_users
from catalog as c
full outer join usage as u
    on c.feature_name = u.feature_name
