{#- Events per event name and UTC hour: what unfiltered trends of total events read instead of
    fact_events (server/insights/trends.ts). -#}
select
    event_name,
    {{ utc_hour('ts') }} as hour,
    count(*) as events
from {{ ref('fact_events') }}
group by 1, 2
