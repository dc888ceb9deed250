with

source as (
    select * from {{ source('news', 'claim_mentions') }}
),

renamed as (
    select
        night,
        mention_id,
        article_id,
        mention_index,
        extractor_version,
        claim_text,
        char_start,
        char_end,
        sentence_index,
        attribution_kind,
        source_text,
        source_name as source_name_raw,
        source_kind,
        source_type,
        source_role,
        source_affiliation,
        cue,
        cast(quantity_value as double) as quantity_value,
        cast(quantity_low as double) as quantity_low,
        cast(quantity_high as double) as quantity_high,
        quantity_unit,
        is_quantity_approximate,
        is_hedged,
        hedges,
        is_denial,
        is_explicitly_unverified,
        chain,
        predicate,
        coalesce(is_negated, false) as is_negated,
        -- rows extracted before speech acts were told apart were all taken as claims
        coalesce(speech_act, 'assertion') as speech_act
    from source
)

select * from renamed
