{#- One row per session and UTC day it touches (almost every session: one day). int_events
    finds an event's session by (user_id, UTC day of the event) and the range check, so each
    event meets about one candidate session instead of every session of its user.
    DuckDB unnests in the select list: its lateral `cross join unnest` took 10× longer here. -#}
{%- set first_day = utc_day('x.started_at') -%}
{%- set last_day = utc_day('x.ended_at') %}

select
    x.session_id,
    x.user_id,
    x.started_at,
    x.ended_at,
    x.session_duration,
{%- if target.type == 'duckdb' %}
    unnest(generate_series({{ first_day }}, {{ last_day }})) as utc_day
from {{ ref('int_sessions') }} as x
{%- else %}
    d.utc_day
from {{ ref('int_sessions') }} as x
cross join unnest(sequence({{ first_day }}, {{ last_day }})) as d (utc_day)
{%- endif %}
