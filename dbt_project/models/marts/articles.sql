with

articles as (
    select * from {{ ref('int_articles_deduplicated') }}
),

syndication as (
    select * from {{ ref('int_articles_syndicated') }}
),

final as (
    select
        cast(a.article_id as varchar) as article_id,
        cast(a.url as varchar) as url,
        cast(a.canonical_url as varchar) as canonical_url,
        cast(md5(a.outlet_name) as varchar) as outlet_id,
        cast(a.title as varchar) as title,
        cast(a.authors as varchar[]) as authors,
        cast(a.published_at as timestamp with time zone) as published_at,
        cast(a.published_date_local as date) as published_date_local,
        cast(a.published_utc_offset_minutes as integer) as published_utc_offset_minutes,
        cast(a.effective_published_on as date) as published_on,
        cast(a.fetched_at as timestamp with time zone) as fetched_at,
        cast(a.language as varchar) as language,
        cast(a.language_reason as varchar) as language_reason,
        cast(a.word_count as integer) as word_count,
        cast(s.syndication_group_id as varchar) as syndication_group_id,
        cast(coalesce(s.is_syndicated_copy, false) as boolean) as is_syndicated_copy,
        cast(a.parse_status as varchar) as parse_status
    from articles as a
    left join syndication as s on a.article_id = s.article_id
)

select * from final
