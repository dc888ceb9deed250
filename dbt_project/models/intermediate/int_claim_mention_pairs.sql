-- Pairs of claim mentions that assert the same proposition. Blocking: the pair must share at
-- least two key terms (actors, places, key words). Then either
--   - the same predicate (the content's main verb) and a Jaccard similarity of key terms of at
--     least 0.3, or
--   - a Jaccard similarity of at least 0.5 whatever the predicate, or
--   - the same counted unit with values within a factor of 1.5 and the same predicate
--     (numeric variants of one proposition: 8,000 vs 9,000 troops crossed).
-- Mentions counting different things stay apart: both have a unit and the units differ
-- (troops vs tonnes), or they count the same unit with different predicates (troops crossed
-- vs troops massed vs troops planned).
with

terms as (
    select * from {{ ref('int_claim_mention_terms') }}
),

mentions as (
    select
        mention_id,
        quantity_unit,
        predicate,
        coalesce(quantity_value, quantity_high, quantity_low) as quantity
    from {{ ref('int_claim_mentions_enriched') }}
),

sizes as (
    select mention_id, count(*) as n_terms from terms group by mention_id
),

shared as (
    select t1.mention_id as mention_a, t2.mention_id as mention_b, count(*) as n_shared
    from terms as t1
    inner join terms as t2 on t1.term = t2.term and t1.mention_id < t2.mention_id
    group by t1.mention_id, t2.mention_id
),

scored as (
    select
        sh.mention_a,
        sh.mention_b,
        sh.n_shared,
        sh.n_shared / (sa.n_terms + sb.n_terms - sh.n_shared) as similarity
    from shared as sh
    inner join sizes as sa on sh.mention_a = sa.mention_id
    inner join sizes as sb on sh.mention_b = sb.mention_id
),

final as (
    select s.mention_a, s.mention_b, s.similarity
    from scored as s
    inner join mentions as ma on s.mention_a = ma.mention_id
    inner join mentions as mb on s.mention_b = mb.mention_id
    where
        s.n_shared >= 2
        and (ma.quantity_unit is null or mb.quantity_unit is null
             or (ma.quantity_unit = mb.quantity_unit
                 and coalesce(ma.predicate = mb.predicate, false)))
        and (
            (coalesce(ma.predicate = mb.predicate, false) and s.similarity >= 0.3)
            or s.similarity >= 0.5
            or (
                ma.quantity_unit = mb.quantity_unit
                and coalesce(ma.predicate = mb.predicate, false)
                and greatest(ma.quantity, mb.quantity) <= 1.5 * least(ma.quantity, mb.quantity)
            )
        )
)

select * from final
