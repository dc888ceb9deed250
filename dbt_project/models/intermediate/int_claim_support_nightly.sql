-- For every claim and every night on which it got a new mention (up to the night built): who
-- supported and who disputed it with what was published by the end of that night (on the
-- publisher's own day, see int_articles_deduplicated). The counts depend only on the mentions
-- published by then, so they can change only on such a night; on the nights in between they
-- are those of the latest row before (one row per claim per night with news, not per claim per
-- night). An affiliation (a country or a bloc) counts once however many of its sources repeat
-- the claim; a syndication group (a wire story and its reprints) counts once as a report;
-- anonymous sources and unattributed reporting give no affiliation.
with

mentions as (
    select
        * replace (
            coalesce(published_on, cast(timezone('UTC', published_at) as date)) as published_on
        ),
        attribution_kind <> 'unattributed' and not is_anonymous_source and source_id is not null
            as is_named_source,
        coalesce(source_affiliation, 'unknown') as affiliation
    from {{ ref('int_claim_mentions_clustered') }}
),

-- the nights on which a claim got a new mention, up to the night built
claim_nights as (
    select distinct claim_id, published_on as night
    from mentions
    where published_on <= {{ as_of_date() }}
),

known as (
    select cn.night, m.*
    from claim_nights as cn
    inner join mentions as m on cn.claim_id = m.claim_id and m.published_on <= cn.night
),

supporting_affiliations as (
    select
        night,
        claim_id,
        string_agg(distinct affiliation, ', ' order by affiliation) as affiliations,
        count(distinct affiliation) as n_affiliations
    from known
    where stance = 'supports' and is_named_source and affiliation <> 'unknown'
    group by night, claim_id
),

disputing_affiliations as (
    select
        k.night,
        k.claim_id,
        string_agg(distinct k.affiliation, ', ' order by k.affiliation) as affiliations,
        count(distinct k.affiliation) as n_affiliations,
        count(distinct k.affiliation) filter (
            where k.affiliation not in (
                select s.affiliation from known as s
                where
                    s.claim_id = k.claim_id and s.night = k.night and s.stance = 'supports'
                    and s.is_named_source
            )
        ) as n_other_affiliations
    from known as k
    where k.stance = 'disputes' and k.is_named_source
    group by k.night, k.claim_id
),

totals as (
    select
        night,
        claim_id,
        count(*) filter (where stance = 'supports') as n_supporting_mentions,
        count(distinct source_id) filter (where stance = 'supports' and is_named_source)
            as n_supporting_sources,
        count(distinct source_id) filter (where stance = 'disputes' and is_named_source)
            as n_disputing_sources,
        count(*) filter (where stance = 'disputes') as n_disputing_mentions,
        count(distinct syndication_group_id) filter (where stance = 'supports')
            as n_independent_reports,
        count(distinct outlet_id) as n_outlets,
        min(coalesce(quantity_low, quantity_value)) filter (where stance = 'supports')
            as quantity_min,
        max(coalesce(quantity_high, quantity_value)) filter (where stance = 'supports')
            as quantity_max,
        bool_or(is_explicitly_unverified) as is_explicitly_unverified,
        min(published_at) as first_reported_at,
        -- the first said first: ties on the time (one article names several sources) go to
        -- the earlier sentence, then to the article and mention ids, never to the row order
        first(source_id order by published_at, article_id, char_start, mention_id)
            filter (where is_named_source) as first_source_id,
        first(outlet_id order by published_at, article_id, char_start, mention_id)
            as first_outlet_id
    from known
    group by night, claim_id
),

final as (
    select
        t.claim_id,
        t.night as as_of_date,
        t.n_supporting_mentions,
        t.n_supporting_sources,
        coalesce(sa.n_affiliations, 0) as n_supporting_affiliations,
        sa.affiliations as supporting_affiliations,
        t.n_disputing_mentions,
        t.n_disputing_sources,
        coalesce(da.n_affiliations, 0) as n_disputing_affiliations,
        coalesce(da.n_other_affiliations, 0) as n_disputing_other_affiliations,
        da.affiliations as disputing_affiliations,
        t.n_independent_reports,
        t.n_outlets,
        t.quantity_min,
        t.quantity_max,
        coalesce(t.is_explicitly_unverified, false) as is_explicitly_unverified,
        t.first_reported_at,
        t.first_source_id,
        t.first_outlet_id
    from totals as t
    left join supporting_affiliations as sa on t.claim_id = sa.claim_id and t.night = sa.night
    left join disputing_affiliations as da on t.claim_id = da.claim_id and t.night = da.night
)

select * from final
