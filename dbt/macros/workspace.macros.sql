{#- The workspace this run builds. Every bronze read is scoped with it; the run fails
    (rather than silently mixing tenants) when TL_WORKSPACE_ID is missing. -#}
{% macro workspace_id() -%}
  {%- set ws = env_var('TL_WORKSPACE_ID', '') -%}
  {%- if ws == '' and execute -%}
    {{ exceptions.raise_compiler_error("TL_WORKSPACE_ID is not set: export the id of the workspace to build (see dbt/README.md).") }}
  {%- endif -%}
  {{ return(ws) }}
{%- endmacro %}

{% macro workspace_filter(column='workspace_id') -%}
  {%- set ws = workspace_id() -%}
  {%- if ws == '' -%} 1 = 0 {%- else -%} {{ column }} = '{{ ws | replace("'", "''") }}' {%- endif -%}
{%- endmacro %}
