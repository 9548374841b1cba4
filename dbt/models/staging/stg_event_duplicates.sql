{#- event_ids that reached bronze more than once (client retries, replayed WAL segments).
    Normally empty or tiny; stg_events passes every other event straight through and only
    picks a winner among these. -#}
select
    event_id,
    count(*) as copies
from {{ bronze_relation('events') }}
where {{ workspace_filter() }}
  and event_id is not null
group by event_id
having count(*) > 1
