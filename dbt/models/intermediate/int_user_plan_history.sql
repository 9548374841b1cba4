{#- Plan spells per user: one row per period on a plan, from identify traits (plan) and
    subscription events (started -> plan, upgraded -> to_plan, cancelled -> free).
    Consecutive records with the same plan are merged into one spell. -#}
with changes as (
    select user_id, ts as changed_at, plan, 'identify' as changed_by, 1 as source_rank
    from {{ ref('stg_identifies') }}
    where user_id is not null
      and plan is not null

    union all

    select
        user_id,
        ts as changed_at,
        case event_name
            when 'subscription_started' then plan
            when 'subscription_upgraded' then to_plan
            else 'free'
        end as plan,
        event_name as changed_by,
        2 as source_rank
    from {{ ref('stg_events') }}
    where event_name in ('subscription_started', 'subscription_upgraded', 'subscription_cancelled')
      and user_id is not null
),

ordered as (
    select
        changes.*,
        lag(plan) over (partition by user_id order by changed_at, source_rank) as previous_plan
    from changes
    where plan is not null
),

spells as (
    select *
    from ordered
    where previous_plan is null
       or previous_plan <> plan
)

select
    user_id,
    plan,
    previous_plan,
    changed_at as valid_from,
    lead(changed_at) over (partition by user_id order by changed_at, source_rank) as valid_to,
    changed_by,
    row_number() over (partition by user_id order by changed_at, source_rank) as spell_number
from spells
