{#- Attributed events (user_id known) with their 30-minute-rule session, its length, and the
    plan in force at the event: the plan spell of int_user_plan_history that covers the event's
    time (events before the user's first spell get that first plan). Events that stayed anonymous (no identify ever linked their
    anonymous_id) are left out here and downstream; they remain in stg_events.

    A view: fact_events is the one place these wide rows are written; the other marts read
    fact_events. -#}
{{ config(materialized='view') }}

select
    e.event_id,
    e.event_name,
    e.user_id,
    x.session_id,
    x.started_at as session_started_at,
    x.session_duration,
    e.client_session_id,
    e.anonymous_id,
    e.is_identity_resolved,
    e.ts,
    e.event_date,
    e.feature_name,
    p.plan as plan_at_event,
    e.platform,
    e.os,
    e.browser,
    e.device_type,
    e.country,
    e.locale,
    e.app_version,
    e.page_path,
    e.properties,
    e.error_code,
    e.error_type,
    e.page,
    e.duration_ms,
    e.plan,
    e.from_plan,
    e.to_plan,
    e.billing_period,
    e.mrr_usd,
    e.cancel_reason,
    e.experiment_key,
    e.variant,
    e.export_format,
    e.invitee_role,
    e.signup_method,
    e.channel,
    e.project_template,
    e.login_method
from {{ ref('stg_events') }} as e
-- A user's sessions never overlap and cover every one of their events: a hash join on the user
-- and the event's UTC day with a range check (about one candidate per event), much cheaper than
-- carrying a session per event out of the window pass.
inner join {{ ref('int_session_days') }} as x
    on e.user_id = x.user_id
   and {{ utc_day('e.ts') }} = x.utc_day
   and e.ts >= x.started_at
   and e.ts <= x.ended_at
left join {{ ref('int_user_plan_history') }} as p
    on e.user_id = p.user_id
   -- spells tile time: [valid_from, valid_to); the first spell also covers everything before
   -- it. Bounds are plain columns or constants, so this stays a hash join on user_id.
   and e.ts >= case when p.spell_number = 1 then {{ timestamp_utc('1970-01-01 00:00:00') }} else p.valid_from end
   and e.ts < coalesce(p.valid_to, {{ timestamp_utc('9999-12-31 00:00:00') }})
