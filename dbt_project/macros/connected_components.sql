{#- Connected components of an undirected graph, as (node, component): `nodes` is a relation
    with a `node_column`; `pairs` a relation of linked pairs (`a_column`, `b_column`), each pair
    listed once in either direction. Every node gets the smallest node id reachable from it.

    Linear-ish: `rounds` rounds of min-label propagation (each node takes the smallest label of
    itself and its neighbours, then that label's own label; a join over the edges and one over
    the nodes per round) settle most components, including long chains. The components still
    unsettled are finished exactly on the graph of their labels (much smaller than the graph
    itself) by a recursive CTE, so the result does not depend on `rounds`; only the cost does.
    Reaching every node from every node, as a recursive CTE alone does, costs the square of a
    component's size.
    Portable: plain joins, min() and a recursive CTE. -#}
{% macro connected_components(nodes, node_column, pairs, a_column, b_column, rounds=4) -%}
    with recursive edges (node, neighbour) as (
        select {{ a_column }}, {{ b_column }} from {{ pairs }}
        union all
        select {{ b_column }}, {{ a_column }} from {{ pairs }}
    ),

    all_nodes (node) as (
        select {{ node_column }} from {{ nodes }}
        union
        select node from edges
    ),

    -- where a node takes its next label from: itself and each neighbour
    steps (node, via) as (
        select node, node from all_nodes
        union all
        select node, neighbour from edges
    ),

    labels_0 (node, label) as (
        select node, node from all_nodes
    ),

    {%- for i in range(1, rounds + 1) %}

    hop_{{ i }} (node, label) as (
        select s.node, min(p.label)
        from steps as s
        inner join labels_{{ i - 1 }} as p on s.via = p.node
        group by s.node
    ),

    -- and then its label's label (pointer jumping: labels travel further each round)
    labels_{{ i }} (node, label) as (
        select h.node, least(h.label, j.label)
        from hop_{{ i }} as h
        inner join hop_{{ i }} as j on h.label = j.node
    ),
    {%- endfor %}

    settled (node, label) as (
        select node, label from labels_{{ rounds }}
    ),

    -- labels still linked to another label: components not settled within the rounds
    label_edges (node, neighbour) as (
        select distinct la.label, lb.label
        from edges as e
        inner join settled as la on e.node = la.node
        inner join settled as lb on e.neighbour = lb.node
        where la.label <> lb.label
    ),

    reach (node, component) as (
        select node, node from label_edges
        union
        select e.neighbour, r.component
        from reach as r
        inner join label_edges as e on r.node = e.node
    ),

    label_components (label, component) as (
        select node, min(component)
        from reach
        group by node
    )

    select s.node, coalesce(lc.component, s.label) as component
    from settled as s
    left join label_components as lc on s.label = lc.label
{%- endmacro %}
