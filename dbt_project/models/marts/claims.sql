with

mentions as (
    select * from {{ ref('int_claim_mentions_clustered') }}
),

per_claim as (
    select
        claim_id,
        -- the words of the first attributed mention, else the first mention; mentions published
        -- at the same moment (a wire copy, a night of dateless pages) in article and text order
        coalesce(
            first(claim_text order by published_at, article_id, char_start, mention_id)
                filter (where attribution_kind <> 'unattributed'),
            first(claim_text order by published_at, article_id, char_start, mention_id)
        ) as canonical_text,
        bool_or(quantity_value is not null or quantity_low is not null
                or quantity_high is not null) as has_quantity,
        bool_or(lower(cue) similar to '(estimat|assess|believ|think|thought|expect|predict|fear|'
                || 'project|forecast|suspect|conclud|judg)%') as has_assessment_cue,
        bool_or(attribution_kind = 'unattributed') as has_outlet_voice,
        min(published_at) as first_seen_at,
        max(published_at) as last_seen_at,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles,
        count(distinct outlet_id) as n_outlets
    from mentions
    group by claim_id
),

final as (
    select
        cast(claim_id as varchar) as claim_id,
        cast(canonical_text as varchar) as canonical_text,
        cast(case
            when has_quantity then 'quantitative'
            when has_assessment_cue then 'assessment'
            when has_outlet_voice
                or regexp_matches(canonical_text, '\b(\w+ed|was|were|had|has been|have been)\b')
                then 'event'
            else 'statement'
        end as varchar) as claim_type,
        cast(first_seen_at as timestamp with time zone) as first_seen_at,
        cast(last_seen_at as timestamp with time zone) as last_seen_at,
        cast(n_mentions as bigint) as n_mentions,
        cast(n_articles as bigint) as n_articles,
        cast(n_outlets as bigint) as n_outlets
    from per_claim
)

select * from final
