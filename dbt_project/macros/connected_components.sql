{#- Connected components of an undirected graph, as (node, component): `nodes` is a relation
    with a `node_column`; `pairs` a relation of linked pairs (`a_column`, `b_column`), each pair
    listed once in either direction. Every node gets the smallest node id reachable from it.
    Portable: a recursive CTE and min(). -#}
{% macro connected_components(nodes, node_column, pairs, a_column, b_column) -%}
    with recursive edges (node, neighbour) as (
        select {{ a_column }}, {{ b_column }} from {{ pairs }}
        union all
        select {{ b_column }}, {{ a_column }} from {{ pairs }}
    ),

    reach (node, component) as (
        select {{ node_column }} as node, {{ node_column }} as component from {{ nodes }}
        union
        select e.neighbour as node, r.component
        from reach as r
        inner join edges as e on r.node = e.node
    )

    select node, min(component) as component
    from reach
    group by node
{%- endmacro %}
