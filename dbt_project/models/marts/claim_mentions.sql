with

mentions as (
    select * from {{ ref('int_claim_mentions_clustered') }}
),

sentences as (
    select * from {{ ref('stg_news__sentences') }}
),

articles as (
    select article_id, night from {{ ref('int_articles_deduplicated') }}
),

final as (
    select
        cast(m.mention_id as varchar) as mention_id,
        cast(m.claim_id as varchar) as claim_id,
        cast(m.article_id as varchar) as article_id,
        cast(m.outlet_id as varchar) as outlet_id,
        cast(m.source_id as varchar) as source_id,
        cast(m.published_at as timestamp with time zone) as published_at,
        cast(s.sentence_text as varchar) as sentence_text,
        cast(m.claim_text as varchar) as claim_text,
        cast(m.char_start as integer) as char_start,
        cast(m.char_end as integer) as char_end,
        cast(m.cue as varchar) as cue,
        cast(m.attribution_kind as varchar) as attribution_kind,
        cast(m.stance as varchar) as stance,
        cast(m.is_hedged as boolean) as is_hedged,
        cast(m.is_denial as boolean) as is_denial,
        cast(m.is_explicitly_unverified as boolean) as is_explicitly_unverified,
        cast(m.quantity_value as double) as quantity_value,
        cast(m.quantity_low as double) as quantity_low,
        cast(m.quantity_high as double) as quantity_high,
        cast(m.quantity_unit as varchar) as quantity_unit,
        cast(m.is_quantity_approximate as boolean) as is_quantity_approximate,
        cast(m.syndication_group_id as varchar) as syndication_group_id
    from mentions as m
    inner join articles as a on m.article_id = a.article_id
    left join sentences as s
        on
            m.article_id = s.article_id and a.night = s.night
            and m.sentence_index = s.sentence_index
)

select * from final
