with

source as (
    select * from {{ source('news', 'pages') }}
),

renamed as (
    select
        page_id,
        night,
        run_id,
        fetch_id,
        source_name,
        source_kind,
        outlet_name,
        url,
        canonical_url,
        final_url,
        rel_canonical,
        content_hash,
        content_type,
        charset,
        http_status,
        fetched_at,
        is_changed,
        hint_title,
        hint_published_at,
        hint_outlet,
        hint_language
    from source
)

select * from renamed
