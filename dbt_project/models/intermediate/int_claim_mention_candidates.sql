{{ config(materialized='table') }}
-- Candidate pairs for int_claim_mention_pairs: the mentions that share a blocking key. A pair
-- of mentions asserting the same proposition shares at least two terms, so at least one pair of
-- terms (a blocking key). Candidates are the mentions that share a key held by at most var
-- cluster_max_key_mentions mentions; a key more common than that ("kestranian" + "troop" across
-- a season of news) makes no candidates on its own. Its own table, so that the comparison in
-- int_claim_mention_pairs is planned on the true number of candidates (over a million at a
-- night of 1,000 real articles), not on an estimate of the distinct rows of a join.
with

terms as (
    select mention_id, term from {{ ref('int_claim_mention_terms') }}
),

-- each mention's blocking keys: every pair of its terms (term_1 < term_2)
keys as (
    select t1.mention_id, t1.term as term_1, t2.term as term_2
    from terms as t1
    inner join terms as t2 on t1.mention_id = t2.mention_id and t1.term < t2.term
),

-- how many mentions hold each key: a window, so the rare keys are picked before the self-join
-- below whatever order the planner joins in
keys_counted as (
    select
        mention_id,
        term_1,
        term_2,
        count(*) over (partition by term_1, term_2) as n_mentions
    from keys
),

blocking_keys as (
    select mention_id, term_1, term_2
    from keys_counted
    where n_mentions <= {{ var('cluster_max_key_mentions', 100) }}
),

candidates as (
    select distinct k1.mention_id as mention_a, k2.mention_id as mention_b
    from blocking_keys as k1
    inner join blocking_keys as k2
        on
            k1.term_1 = k2.term_1
            and k1.term_2 = k2.term_2
            and k1.mention_id < k2.mention_id
)

select * from candidates
