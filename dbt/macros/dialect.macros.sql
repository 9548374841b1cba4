{#- Small dialect shims (duckdb is the production engine; trino must compile). -#}

{#- json_fields(col, keys): the JSON text `col` parsed ONCE into a struct/row with one varchar
    field per key (missing keys are null); read a field as  p."key". -#}
{% macro json_fields(col, keys) -%}
  {{ return(adapter.dispatch('json_fields', 'telemetry_lakehouse')(col, keys)) }}
{%- endmacro %}
{% macro duckdb__json_fields(col, keys) -%}
  json_transform({{ col }}, '{ {%- for k in keys %}"{{ k }}": "VARCHAR"{{ ", " if not loop.last }}{% endfor -%} }')
{%- endmacro %}
{% macro default__json_fields(col, keys) -%}
  cast(json_parse({{ col }}) as row({% for k in keys %}"{{ k }}" varchar{{ ", " if not loop.last }}{% endfor %}))
{%- endmacro %}

{#- epoch_ms(ts): milliseconds since 1970-01-01 UTC as bigint. -#}
{% macro epoch_ms(ts) -%}
  {{ return(adapter.dispatch('epoch_ms', 'telemetry_lakehouse')(ts)) }}
{%- endmacro %}
{% macro duckdb__epoch_ms(ts) -%} epoch_ms({{ ts }}) {%- endmacro %}
{% macro default__epoch_ms(ts) -%} cast(to_unixtime({{ ts }}) * 1000 as bigint) {%- endmacro %}

{#- seconds_between(a, b): b - a in seconds (double, millisecond precision). Epoch arithmetic,
    not date_diff: DuckDB's date_diff on TIMESTAMPTZ goes through the ICU calendar (~0.6 µs a
    value — 6 s for 10M), epoch_ms is an integer division. A DOUBLE on both engines (on Trino
    `/ 1000.0` would be a DECIMAL, whose averages keep its one decimal). -#}
{% macro seconds_between(a, b) -%}
  (({{ epoch_ms(b) }} - {{ epoch_ms(a) }}) / {{ '1000.0' if target.type == 'duckdb' else '1000e0' }})
{%- endmacro %}

{#- add_days(d, n): date d plus n days (n may be negative). -#}
{% macro add_days(d, n) -%}
  {{ return(adapter.dispatch('add_days', 'telemetry_lakehouse')(d, n)) }}
{%- endmacro %}
{% macro duckdb__add_days(d, n) -%} cast({{ d }} + to_days(cast({{ n }} as integer)) as date) {%- endmacro %}
{% macro default__add_days(d, n) -%} date_add('day', {{ n }}, {{ d }}) {%- endmacro %}

{#- date_spine_between(start_expr, end_expr): one row per day, column `spine_date`. -#}
{% macro date_spine_between(start_expr, end_expr) -%}
  {{ return(adapter.dispatch('date_spine_between', 'telemetry_lakehouse')(start_expr, end_expr)) }}
{%- endmacro %}
{% macro duckdb__date_spine_between(start_expr, end_expr) -%}
  select cast(unnest(generate_series(cast({{ start_expr }} as timestamp), cast({{ end_expr }} as timestamp), interval 1 day)) as date) as spine_date
{%- endmacro %}
{% macro default__date_spine_between(start_expr, end_expr) -%}
  select spine_date from unnest(sequence(cast({{ start_expr }} as date), cast({{ end_expr }} as date), interval '1' day)) as t(spine_date)
{%- endmacro %}

{#- epoch_us(ts): microseconds since 1970-01-01 UTC as bigint (exact for DuckDB timestamps). -#}
{% macro epoch_us(ts) -%}
  {{ return(adapter.dispatch('epoch_us', 'telemetry_lakehouse')(ts)) }}
{%- endmacro %}
{% macro duckdb__epoch_us(ts) -%} epoch_us({{ ts }}) {%- endmacro %}
{% macro default__epoch_us(ts) -%} cast(to_unixtime({{ ts }}) * 1000000 as bigint) {%- endmacro %}

{#- utc_day(ts): the UTC day of a timestamp as a day number since 1970-01-01 (bigint), by
    integer division of epoch microseconds — no TIMESTAMPTZ → DATE cast (ICU) per event. -#}
{% macro utc_day(ts) -%}
  {{ return(adapter.dispatch('utc_day', 'telemetry_lakehouse')(ts)) }}
{%- endmacro %}
{% macro duckdb__utc_day(ts) -%} ({{ epoch_us(ts) }} // 86400000000) {%- endmacro %}
{% macro default__utc_day(ts) -%} cast(floor(to_unixtime({{ ts }}) / 86400) as bigint) {%- endmacro %}

{#- utc_hour(ts): the start of the UTC hour of a timestamp (TIMESTAMPTZ), by integer division of
    epoch microseconds on DuckDB (date_trunc on TIMESTAMPTZ goes through ICU there). -#}
{% macro utc_hour(ts) -%}
  {{ return(adapter.dispatch('utc_hour', 'telemetry_lakehouse')(ts)) }}
{%- endmacro %}
{% macro duckdb__utc_hour(ts) -%} to_timestamp(({{ epoch_us(ts) }} // 3600000000) * 3600) {%- endmacro %}
{% macro default__utc_hour(ts) -%} date_trunc('hour', {{ ts }}) {%- endmacro %}

{#- key_hash(col): a 64-bit hash of a key (the column stg_event_duplicates groups by). -#}
{% macro key_hash(col) -%}
  {{ return(adapter.dispatch('key_hash', 'telemetry_lakehouse')(col)) }}
{%- endmacro %}
{% macro duckdb__key_hash(col) -%} hash({{ col }}) {%- endmacro %}
{% macro default__key_hash(col) -%} xxhash64(to_utf8({{ col }})) {%- endmacro %}

{#- dedupe_first(relation, where, key, order_by, duplicates): the rows of `relation` matching
    `where`, one per `key` — the first by `order_by`. `duplicates` is a relation listing the
    hashes of the keys that occur more than once (column `key_hash`, see stg_event_duplicates);
    every other row passes straight through, so the wide rows are neither sorted nor grouped. A
    hash shared by two different keys only sends both through the exact `distinct on` branch.
    `relation` is scanned inline in both branches (a CTE referenced twice would make DuckDB
    materialise every wide row first). -#}
{% macro dedupe_first(relation, where, key, order_by, duplicates) -%}
  {{ return(adapter.dispatch('dedupe_first', 'telemetry_lakehouse')(relation, where, key, order_by, duplicates)) }}
{%- endmacro %}
{% macro duckdb__dedupe_first(relation, where, key, order_by, duplicates) -%}
  select * from {{ relation }}
  where {{ where }}
    and {{ key_hash(key) }} not in (select key_hash from {{ duplicates }})
  union all
  select * from (
    select distinct on ({{ key }}) * from {{ relation }}
    where {{ where }}
      and {{ key_hash(key) }} in (select key_hash from {{ duplicates }})
    order by {{ key }}, {{ order_by }}
  )
{%- endmacro %}
{% macro default__dedupe_first(relation, where, key, order_by, duplicates) -%}
  select * from (
    select r.*, row_number() over (partition by r.{{ key }} order by {{ order_by }}) as _rn
    from {{ relation }} as r
    where {{ where }}
  ) as ranked where _rn = 1
{%- endmacro %}

{#- json_text(col, key): the scalar at top-level `key` of the JSON text `col`, as varchar. -#}
{% macro json_text(col, key) -%}
  {{ return(adapter.dispatch('json_text', 'telemetry_lakehouse')(col, key)) }}
{%- endmacro %}
{% macro duckdb__json_text(col, key) -%} json_extract_string({{ col }}, '$.{{ key }}') {%- endmacro %}
{% macro default__json_text(col, key) -%} json_extract_scalar({{ col }}, '$.{{ key }}') {%- endmacro %}

{#- event_property(alias, key, events, type): properties.<key> of the events named in `events`
    (the event types that carry it), null for every other event. The CASE guard means the JSON
    is only read for those events — a few per cent of the rows for most keys. -#}
{% macro event_property(alias, key, events, type=none) -%}
  {%- set value = json_text(alias ~ '.properties', key) -%}
  case when {{ alias }}.event in ({% for e in events %}'{{ e }}'{{ ", " if not loop.last }}{% endfor %})
    then {% if type %}try_cast({{ value }} as {{ type }}){% else %}{{ value }}{% endif %} end
{%- endmacro %}

{#- timestamp_utc('YYYY-MM-DD HH:MM:SS'): a timestamp-with-time-zone literal in UTC. -#}
{% macro timestamp_utc(text) -%}
  {{ return(adapter.dispatch('timestamp_utc', 'telemetry_lakehouse')(text)) }}
{%- endmacro %}
{% macro duckdb__timestamp_utc(text) -%} cast('{{ text }}+00' as timestamp with time zone) {%- endmacro %}
{% macro default__timestamp_utc(text) -%} timestamp '{{ text }} UTC' {%- endmacro %}

{#- session_id(user_id, started_at): the deterministic id of a 30-minute-rule session,
    '<user_id>-<epoch ms of its first event>'. -#}
{% macro session_id(user_id, started_at) -%}
  {{ user_id }} || '-' || cast({{ epoch_ms(started_at) }} as varchar)
{%- endmacro %}
