{{ config(materialized='table') }}
-- Claims: the connected components of same-proposition pairs. A claim is named after its
-- earliest mention, so its id stays the same as later mentions join it.
-- Stance is relative to the claim. A claim is held as a positive proposition when any of its
-- mentions states (or denies) the positive form; then a mention disputes it when it denies it
-- or asserts its negation. A claim all of whose mentions are negative statements ("Journalists
-- have not been allowed into the border districts") is that negative proposition: a mention
-- disputes it only when it denies it.
with

mentions as (
    select * from {{ ref('int_claim_mentions_enriched') }}
),

pairs as (
    select * from {{ ref('int_claim_mention_pairs') }}
),

components as (
    {{ connected_components('mentions', 'mention_id', 'pairs', 'mention_a', 'mention_b') }}
),

clustered as (
    select
        m.*,
        md5(first_value(m.mention_id) over (
            partition by c.component order by m.published_at, m.mention_id
        )) as claim_id,
        bool_and(coalesce(m.is_negated, false)) over (partition by c.component)
            as is_negative_claim
    from mentions as m
    inner join components as c on m.mention_id = c.node
),

final as (
    select
        * exclude (is_negative_claim),
        case
            when is_negative_claim and coalesce(is_denial, false) then 'disputes'
            when is_negative_claim then 'supports'
            when coalesce(rejects_positive, false) then 'disputes'
            else 'supports'
        end as stance
    from clustered
)

select * from final
