{{ config(materialized='table') }}
-- Claim mentions (attributions that assert, not those that request, commit, evaluate or
-- withhold) of the articles known by the night (their newest extraction), with the
-- article's time, outlet and syndication group, the resolved source, and whether the mention
-- rejects the positive form of its content: it denies it ("denied that ...") or asserts its
-- negation ("No warship is blockading the port"). The stance relative to the claim is set once
-- the mention is clustered (int_claim_mentions_clustered).
with

mentions as (
    select * from {{ ref('stg_news__claim_mentions') }}
),

articles as (
    select * from {{ ref('int_articles_deduplicated') }}
),

syndication as (
    select * from {{ ref('int_articles_syndicated') }}
),

sources as (
    select * from {{ ref('int_sources_resolved') }}
),

known_outlets as (
    select * from {{ ref('known_outlets') }}
),

final as (
    select
        m.mention_id,
        m.article_id,
        md5(a.outlet_name) as outlet_id,
        a.outlet_name,
        a.effective_published_at as published_at,
        a.effective_published_on as published_on,
        syn.syndication_group_id,
        syn.is_syndicated_copy,
        m.claim_text,
        m.char_start,
        m.char_end,
        m.sentence_index,
        m.cue,
        m.attribution_kind,
        case when m.attribution_kind = 'unattributed' then null else s.source_id end
            as source_id,
        m.source_kind,
        m.source_type,
        -- a state source whose country the story leaves unsaid ("the defence ministry",
        -- "Deputy Defence Minister Ruslan Tarkov") belongs to a national outlet's own country
        case
            when
                coalesce(m.source_affiliation, 'unknown') = 'unknown'
                and m.source_type in ('government', 'military', 'intelligence')
                and o.outlet_kind = 'national'
                and o.country is not null
                and m.attribution_kind <> 'unattributed'
                then o.country
            else m.source_affiliation
        end as source_affiliation,
        coalesce(m.source_kind = 'anonymous', false) as is_anonymous_source,
        m.is_negated,
        m.is_denial or m.is_negated as rejects_positive,
        m.predicate,
        m.is_hedged,
        m.is_denial,
        m.is_explicitly_unverified,
        m.quantity_value,
        m.quantity_low,
        m.quantity_high,
        m.quantity_unit,
        m.is_quantity_approximate
    from mentions as m
    inner join articles as a on m.article_id = a.article_id and m.night = a.night
    left join syndication as syn on m.article_id = syn.article_id
    left join sources as s on m.source_name_raw = s.name
    left join known_outlets as o on a.outlet_name = o.outlet_name
    where a.parse_status = 'ok' and m.speech_act = 'assertion'
)

select * from final
