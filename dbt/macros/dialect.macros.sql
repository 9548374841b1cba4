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

{#- seconds_between(a, b): b - a in seconds (double, millisecond precision). -#}
{% macro seconds_between(a, b) -%}
  (date_diff('millisecond', {{ a }}, {{ b }}) / 1000.0)
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

{#- Minutes interval literal. -#}
{% macro minutes_interval(n) -%}
  {{ return(adapter.dispatch('minutes_interval', 'telemetry_lakehouse')(n)) }}
{%- endmacro %}
{% macro duckdb__minutes_interval(n) -%} interval ({{ n }}) minute {%- endmacro %}
{% macro default__minutes_interval(n) -%} interval '{{ n }}' minute {%- endmacro %}

{#- dedupe_first(relation, key, order_by): one row per `key`, the first by `order_by`. -#}
{% macro dedupe_first(relation, key, order_by) -%}
  {{ return(adapter.dispatch('dedupe_first', 'telemetry_lakehouse')(relation, key, order_by)) }}
{%- endmacro %}
{% macro duckdb__dedupe_first(relation, key, order_by) -%}
  {#- Duplicates are rare: rows whose key is unique pass straight through (one hash aggregate on
      the key, no sort of the wide rows); only duplicated keys go through DISTINCT ON. A plain
      DISTINCT ON over 10M wide rows ran out of memory. -#}
  select * from {{ relation }}
  where {{ key }} not in (select {{ key }} from {{ relation }} group by {{ key }} having count(*) > 1)
  union all
  select * from (
    select distinct on ({{ key }}) * from {{ relation }}
    where {{ key }} in (select {{ key }} from {{ relation }} group by {{ key }} having count(*) > 1)
    order by {{ key }}, {{ order_by }}
  )
{%- endmacro %}
{% macro default__dedupe_first(relation, key, order_by) -%}
  select * from (
    select r.*, row_number() over (partition by {{ key }} order by {{ order_by }}) as _rn
    from {{ relation }} as r
  ) as ranked where _rn = 1
{%- endmacro %}
