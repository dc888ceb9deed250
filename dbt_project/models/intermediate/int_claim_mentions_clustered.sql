-- Claims: the connected components of same-proposition pairs. A claim is named after its
-- earliest mention, so its id stays the same as later mentions join it.
with

mentions as (
    select * from {{ ref('int_claim_mentions_enriched') }}
),

pairs as (
    select * from {{ ref('int_claim_mention_pairs') }}
),

edges as (
    select mention_a as node, mention_b as neighbour from pairs
    union all
    select mention_b as node, mention_a as neighbour from pairs
),

components as (
    {{ connected_components('mentions', 'mention_id', 'edges') }}
),

final as (
    select
        m.*,
        md5(first_value(m.mention_id) over (
            partition by c.component order by m.published_at, m.mention_id
        )) as claim_id
    from mentions as m
    inner join components as c on m.mention_id = c.node
)

select * from final
