{#- Hashes of the event_ids that reached bronze more than once (client retries, replayed WAL
    segments). Normally empty or tiny; stg_events passes every other event straight through and
    picks the first-received copy among these (dedupe_first). Grouping 10M 64-bit hashes is a
    third cheaper than grouping the 36-character ids, and this model is on the build's critical
    path. Two different ids sharing a hash (about one pair in 10^11 at 10M events) are only
    both sent through the exact per-id dedup, which leaves each of them once. -#}
select
    {{ key_hash('event_id') }} as key_hash,
    count(*) as copies
from {{ bronze_relation('events') }}
where {{ workspace_filter() }}
  and event_id is not null
group by 1
having count(*) > 1
