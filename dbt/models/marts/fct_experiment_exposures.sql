{#- One row per experiment and exposed user: the variant of the user's first exposure, and
    whether the experiment's success event (seed experiments.csv; subscription_started for an
    experiment missing from the seed) happened at or after that first exposure. -#}
with exposure_events as (
    select
        user_id,
        ts,
        {{ json_text('properties', 'experiment_key') }} as experiment_key,
        {{ json_text('properties', 'variant') }} as variant
    from {{ ref('fact_events') }}
    where event_name = 'experiment_exposed'
),

exposures as (
    select
        experiment_key,
        user_id,
        min(ts) as first_exposed_at,
        min_by(variant, ts) as variant,
        count(distinct variant) as variants_seen
    from exposure_events
    where experiment_key is not null
    group by experiment_key, user_id
),

goals as (
    select
        x.experiment_key,
        x.user_id,
        x.first_exposed_at,
        x.variant,
        x.variants_seen,
        coalesce(cfg.conversion_event, 'subscription_started') as conversion_event
    from exposures as x
    left join {{ ref('experiments') }} as cfg
        on x.experiment_key = cfg.experiment_key
),

goal_events as (
    select user_id, event_name, ts
    from {{ ref('fact_events') }}
    where event_name in (select distinct conversion_event from goals)
),

conversions as (
    select g.experiment_key, g.user_id, min(e.ts) as converted_at
    from goals as g
    inner join goal_events as e
        on e.user_id = g.user_id
       and e.event_name = g.conversion_event
       and e.ts >= g.first_exposed_at
    group by g.experiment_key, g.user_id
)

select
    g.experiment_key,
    g.variant,
    g.user_id,
    g.first_exposed_at,
    c.converted_at is not null as converted,
    c.converted_at,
    g.conversion_event,
    g.variants_seen > 1 as saw_multiple_variants
from goals as g
left join conversions as c
    on g.experiment_key = c.experiment_key
   and g.user_id = c.user_id
