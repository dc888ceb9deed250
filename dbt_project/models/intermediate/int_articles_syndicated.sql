-- Syndication: articles that share most of their sentences (a wire copy reprinted, possibly
-- trimmed or lightly edited) form one group. Two articles are linked when at least 60% of the
-- shorter one's substantial sentences (40 characters or more, compared without case, spacing
-- or punctuation) appear in the other; groups are the connected components of these links.
-- The group is named after its earliest article, the original.
with

articles as (
    select * from {{ ref('int_articles_deduplicated') }}
),

sentences as (
    select * from {{ ref('stg_news__sentences') }}
),

fingerprints as (
    select distinct
        a.article_id,
        md5(regexp_replace(lower(s.sentence_text), '[^a-z0-9]+', '', 'g')) as fingerprint
    from sentences as s
    inner join articles as a on s.article_id = a.article_id and s.night = a.night
    where length(s.sentence_text) >= 40
),

sizes as (
    select article_id, count(*) as n_fingerprints
    from fingerprints
    group by article_id
),

shared as (
    select
        f1.article_id as article_a,
        f2.article_id as article_b,
        count(*) as n_shared
    from fingerprints as f1
    inner join fingerprints as f2
        on f1.fingerprint = f2.fingerprint and f1.article_id < f2.article_id
    group by f1.article_id, f2.article_id
),

links as (
    select sh.article_a, sh.article_b
    from shared as sh
    inner join sizes as sa on sh.article_a = sa.article_id
    inner join sizes as sb on sh.article_b = sb.article_id
    where sh.n_shared >= 3 and sh.n_shared >= 0.6 * least(sa.n_fingerprints, sb.n_fingerprints)
),

components as (
    {{ connected_components('articles', 'article_id', 'links', 'article_a', 'article_b') }}
),

ranked as (
    select
        a.article_id,
        c.component,
        first_value(a.article_id) over (
            partition by c.component order by a.effective_published_at, a.article_id
        ) as syndication_group_id
    from articles as a
    inner join components as c on a.article_id = c.node
),

final as (
    select
        article_id,
        syndication_group_id,
        article_id <> syndication_group_id as is_syndicated_copy
    from ranked
)

select * from final
