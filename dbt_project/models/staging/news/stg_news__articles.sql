with

source as (
    select * from {{ source('news', 'articles') }}
),

renamed as (
    select
        night,
        article_id,
        source_name,
        url,
        canonical_url,
        content_hash,
        fetched_at,
        outlet as outlet_name,
        title,
        authors,
        published_at,
        published_at_source,
        published_date_local,
        published_utc_offset_minutes,
        language,
        language_reason,
        word_count,
        text as article_text,
        status as parse_status,
        status_reason as parse_status_reason,
        parser_version
    from source
)

select * from renamed
