{#- One row per known user (every user_id with at least one attributed event). -#}
with activity as (
    select
        user_id,
        min(ts) as first_seen,
        max(ts) as last_seen,
        count(*) as lifetime_events,
        min(case when event_name = 'signed_up' then event_date end) as signed_up_date
    from {{ ref('fact_events') }}
    group by user_id
),

platform_counts as (
    select user_id, platform, count(*) as n
    from {{ ref('fact_events') }}
    where platform is not null
    group by user_id, platform
),

top_platform as (
    select user_id, max_by(platform, n) as platform
    from platform_counts
    group by user_id
),

country_counts as (
    select user_id, country, count(*) as n
    from {{ ref('fact_events') }}
    where country is not null
    group by user_id, country
),

top_country as (
    select user_id, max_by(country, n) as country
    from country_counts
    group by user_id
),

traits as (
    -- latest non-null value of each trait
    select
        user_id,
        min(signup_date) as signup_date,
        max_by(company_size, case when company_size is not null then ts end) as company_size,
        max_by(industry, case when industry is not null then ts end) as industry,
        max_by(country, case when country is not null then ts end) as country
    from {{ ref('stg_identifies') }}
    where user_id is not null
    group by user_id
),

plans as (
    select
        user_id,
        max_by(plan, valid_from) as plan,
        max(valid_from) as plan_updated_at,
        min_by(plan, valid_from) as signup_plan
    from {{ ref('int_user_plan_history') }}
    group by user_id
),

w as (
    select * from {{ ref('int_window') }}
),

joined as (
    select
        a.user_id,
        a.first_seen,
        a.last_seen,
        coalesce(t.signup_date, a.signed_up_date, cast(a.first_seen as date)) as signup_date,
        coalesce(p.plan, 'free') as plan,
        coalesce(p.plan_updated_at, a.first_seen) as plan_updated_at,
        coalesce(p.signup_plan, 'free') as signup_plan,
        t.company_size,
        t.industry,
        coalesce(t.country, tc.country) as country,
        tp.platform,
        cast(a.last_seen as date) <= w.churn_cutoff_date as is_churned,
        a.lifetime_events
    from activity as a
    cross join w
    left join traits as t on a.user_id = t.user_id
    left join plans as p on a.user_id = p.user_id
    left join top_platform as tp on a.user_id = tp.user_id
    left join top_country as tc on a.user_id = tc.user_id
)

select
    user_id,
    '{{ workspace_id() | replace("'", "''") }}' as workspace_id,
    first_seen,
    last_seen,
    signup_date,
    cast(date_trunc('month', signup_date) as date) as cohort_month,
    plan,
    plan_updated_at,
    signup_plan,
    company_size,
    industry,
    country,
    platform,
    is_churned,
    case when is_churned then cast(last_seen as date) end as churned_at,
    lifetime_events
from joined
