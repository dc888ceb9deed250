{#- The night the marts describe: the `as_of_date` variable (the Dagster partition), else the
    newest night scraped. Articles published after the end of that night (UTC) are left out, so
    building night after night replays history. -#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (select coalesce(max(night), current_date) from {{ ref('stg_news__scrape_runs') }})
    {%- endif -%}
{%- endmacro %}

{#- A name as compared across articles: lower case, no accents or punctuation, no leading
    article, single spaces ("The State Department" -> "state department"). -#}
{% macro normalize_name(expr) -%}
    trim(regexp_replace(regexp_replace(regexp_replace(lower(strip_accents({{ expr }})),
        '[^a-z0-9 ]+', '', 'g'), '^(the|a|an) ', ''), ' +', ' ', 'g'))
{%- endmacro %}
