{#- The most frequent non-null value of `expr` in the group, ties broken by the smallest value.
    DuckDB's own mode() breaks ties by whichever value its hash table met first, which changes
    with thread scheduling: two builds of the same input could disagree. -#}
{% macro stable_mode(expr) -%}
    (list_sort(list_transform(
        map_entries(histogram({{ expr }}) filter (where {{ expr }} is not null)),
        lambda e: {'n': -cast(e.value as bigint), 'v': e.key}
    ))[1]).v
{%- endmacro %}
