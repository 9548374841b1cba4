{#- One row per paid subscription: opened by subscription_started; a later
    subscription_upgraded moves it to the new plan and price; subscription_cancelled ends it.
    Events between two starts of the same user belong to the earlier one. -#}
with sub_events as (
    -- a few per cent of the events: their properties are parsed here, not for every event
    select
        event_id,
        user_id,
        ts,
        event_name,
        {{ json_text('properties', 'plan') }} as plan,
        {{ json_text('properties', 'to_plan') }} as to_plan,
        {{ json_text('properties', 'billing_period') }} as billing_period,
        try_cast({{ json_text('properties', 'mrr_usd') }} as double) as mrr_usd,
        {{ json_text('properties', 'reason') }} as cancel_reason
    from {{ ref('fact_events') }}
    where event_name in ('subscription_started', 'subscription_upgraded', 'subscription_cancelled')
),

starts as (
    select
        user_id,
        event_id as start_event_id,
        ts as started_at,
        plan as initial_plan,
        billing_period,
        mrr_usd as initial_mrr_usd,
        row_number() over (partition by user_id order by ts, event_id) as subscription_number,
        lead(ts) over (partition by user_id order by ts, event_id) as next_started_at
    from sub_events
    where event_name = 'subscription_started'
),

changes as (
    select
        s.user_id,
        s.subscription_number,
        min(case when e.event_name = 'subscription_upgraded' then e.ts end) as first_upgraded_at,
        max_by(e.to_plan, case when e.event_name = 'subscription_upgraded' then e.ts end) as upgraded_plan,
        max_by(e.mrr_usd, case when e.event_name = 'subscription_upgraded' then e.ts end) as upgraded_mrr_usd,
        min(case when e.event_name = 'subscription_cancelled' then e.ts end) as cancelled_at,
        min_by(e.cancel_reason, case when e.event_name = 'subscription_cancelled' then e.ts end) as cancel_reason
    from starts as s
    inner join sub_events as e
        on e.user_id = s.user_id
       and e.event_name <> 'subscription_started'
       and e.ts >= s.started_at
       and (s.next_started_at is null or e.ts < s.next_started_at)
    group by s.user_id, s.subscription_number
)

select
    s.user_id || '-' || cast(s.subscription_number as varchar) as subscription_id,
    s.user_id,
    coalesce(c.upgraded_plan, s.initial_plan) as plan,
    s.billing_period,
    s.started_at,
    c.cancelled_at as ended_at,
    coalesce(c.upgraded_mrr_usd, s.initial_mrr_usd) as mrr_usd,
    case when c.cancelled_at is not null then 'cancelled' else 'active' end as status,
    s.initial_plan,
    s.initial_mrr_usd,
    c.first_upgraded_at as upgraded_at,
    c.cancel_reason,
    s.subscription_number
from starts as s
left join changes as c
    on s.user_id = c.user_id
   and s.subscription_number = c.subscription_number
