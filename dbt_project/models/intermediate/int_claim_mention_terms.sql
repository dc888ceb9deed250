{{ config(materialized='table') }}
-- The key terms of each claim mention, for clustering: its words, lower case, crudely stemmed
-- ("crossed", "crossing" -> "cross"; "troops" -> "troop"), four letters or more, without
-- numbers (digits or words) and without words common to all claims (seed claim_stopwords); synonyms are merged
-- (seed claim_term_synonyms: "vessels" -> "ship", "harbour" -> "port").
with

mentions as (
    select mention_id, claim_text from {{ ref('int_claim_mentions_enriched') }}
),

stopwords as (
    select term from {{ ref('claim_stopwords') }}
),

synonyms as (
    select term, canonical from {{ ref('claim_term_synonyms') }}
),

words as (
    select
        mention_id,
        unnest(regexp_split_to_array(lower(strip_accents(claim_text)), '[^a-z]+')) as word
    from mentions
),

stemmed as (
    select distinct
        mention_id,
        {{ stem_word('word') }} as term
    from words
    where length(word) >= 4
),

final as (
    select distinct s.mention_id, coalesce(syn.canonical, s.term) as term
    from stemmed as s
    left join stopwords as sw on s.term = sw.term
    left join synonyms as syn on s.term = syn.term
    where sw.term is null and length(s.term) >= 3
)

select * from final
