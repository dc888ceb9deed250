{{ config(materialized='table') }}
-- Pairs of claim mentions that assert the same proposition. The pair must share at least two
-- key terms (actors, places, key words). Then either
--   - the same predicate (the content's main verb) and a Jaccard similarity of key terms of at
--     least 0.3, or
--   - a Jaccard similarity of at least 0.5 whatever the predicate, or
--   - the same counted unit with values within a factor of 1.5, the same predicate and a third
--     shared term, an actor or a place, unless the figures are equal (numeric variants of one
--     proposition: 8,000 vs 9,000 Kestranian troops crossed; but "we count 8,000 soldiers on
--     our side" and "observers counted 6,000 troops around Lenka" share only the count and
--     stay apart).
-- A mention whose predicate disputes ("exaggerating the amount of grain stuck in the port")
-- counts as having the same predicate as any other. Units and predicates compare through the
-- synonym seed.
-- Mentions counting different things stay apart: both have a unit and the units differ
-- (troops vs tonnes), or they count the same unit with different predicates (troops crossed
-- vs troops massed vs troops planned).
-- Blocking, so the cost grows with the number of mentions and not with its square: only the
-- candidates of int_claim_mention_candidates (mentions sharing a rare pair of terms) are
-- compared, and then on all their terms, common ones included, so n_shared and the similarity
-- are exact.
with

terms as (
    select * from {{ ref('int_claim_mention_terms') }}
),

synonyms as (
    select term, canonical from {{ ref('claim_term_synonyms') }}
),

mentions as (
    select
        m.mention_id,
        -- counted units compare as their stemmed canonical word: "vessels" = "ships"
        coalesce(syn.canonical, {{ stem_word('lower(m.quantity_unit)') }})
            as quantity_unit,
        coalesce(psyn.canonical, m.predicate) as predicate,
        coalesce(m.quantity_value, m.quantity_high, m.quantity_low) as quantity
    from {{ ref('int_claim_mentions_enriched') }} as m
    left join synonyms as syn
        on {{ stem_word('lower(m.quantity_unit)') }} = syn.term
    -- predicates too: "grain remained in the port" = "grain was stuck in the port"
    left join synonyms as psyn on m.predicate = psyn.term
),

sizes as (
    select mention_id, count(*) as n_terms from terms group by mention_id
),

candidates as (
    select mention_a, mention_b from {{ ref('int_claim_mention_candidates') }}
),

-- the terms a candidate pair shares: all of them, however common. The first mention's terms are
-- looked up among the second's by one key (mention id and term), so no plan can join the terms
-- of all mentions on the term alone (millions of rows for a common term) before the candidates.
term_keys as (
    select mention_id || ' ' || term as term_key from terms
),

candidate_terms as (
    select c.mention_a, c.mention_b, c.mention_b || ' ' || t.term as term_key
    from candidates as c
    inner join terms as t on c.mention_a = t.mention_id
),

shared as (
    select ct.mention_a, ct.mention_b, count(*) as n_shared
    from candidate_terms as ct
    inner join term_keys as tk on ct.term_key = tk.term_key
    group by ct.mention_a, ct.mention_b
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

compared as (
    select
        s.mention_a,
        s.mention_b,
        s.n_shared,
        s.similarity,
        ma.quantity_unit as unit_a,
        mb.quantity_unit as unit_b,
        ma.quantity as quantity_a,
        mb.quantity as quantity_b,
        -- a mention that calls the claim exaggerated or invented has that verb as its
        -- predicate: it is compared as if it had the claim's own
        coalesce(ma.predicate = mb.predicate, false)
        or ma.predicate in {{ dispute_predicates() }}
        or mb.predicate in {{ dispute_predicates() }} as same_predicate
    from scored as s
    inner join mentions as ma on s.mention_a = ma.mention_id
    inner join mentions as mb on s.mention_b = mb.mention_id
),

final as (
    select mention_a, mention_b, similarity
    from compared
    where
        n_shared >= 2
        and (unit_a is null or unit_b is null or (unit_a = unit_b and same_predicate))
        and (
            (same_predicate and similarity >= 0.3)
            or similarity >= 0.5
            or (
                unit_a = unit_b
                and same_predicate
                and (n_shared >= 3 or quantity_a = quantity_b)
                and greatest(quantity_a, quantity_b) <= 1.5 * least(quantity_a, quantity_b)
            )
        )
)

select * from final
