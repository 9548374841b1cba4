{#- anonymous_id -> user_id links from identify calls. First link wins: the earliest identify
    call that carries the anonymous_id decides the user. -#}
select
    anonymous_id,
    min_by(user_id, ts) as user_id,
    min(ts) as linked_at
from {{ ref('stg_identifies') }}
where anonymous_id is not null
  and user_id is not null
group by anonymous_id
