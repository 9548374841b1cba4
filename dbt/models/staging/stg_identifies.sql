{#- Identify calls of the workspace, deduplicated, with the traits parsed once. -#}
{%- set trait_keys = ['plan', 'company_size', 'industry', 'country', 'locale', 'platform',
                      'signup_date', 'signup_method', 'channel'] -%}

with src as (
    select user_id, anonymous_id, ts, received_at, traits, source
    from {{ bronze_relation('identifies') }}
    where {{ workspace_filter() }}
),

deduped as (
    -- a retried identify (same user, anonymous id, time and traits) counts once
    select
        user_id,
        anonymous_id,
        ts,
        traits,
        min(received_at) as received_at,
        min(source) as source
    from src
    group by user_id, anonymous_id, ts, traits
),

parsed as (
    select
        deduped.*,
        {{ json_fields('traits', trait_keys) }} as t
    from deduped
)

select
    {{ dbt.hash("coalesce(user_id, '') || '|' || coalesce(anonymous_id, '') || '|' || cast(ts as varchar) || '|' || coalesce(traits, '')") }} as identify_id,
    user_id,
    anonymous_id,
    ts,
    received_at,
    source,
    traits,
    {%- for k in trait_keys %}
    {%- if k == 'signup_date' %}
    try_cast(t."signup_date" as date) as signup_date
    {%- else %}
    t."{{ k }}" as {{ k }}
    {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
from parsed
