with

source as (
    select * from {{ source('news', 'fetches') }}
),

renamed as (
    select
        fetch_id,
        night,
        run_id,
        source_name,
        url_kind,
        position,
        url,
        canonical_url,
        final_url,
        discovered_from,
        outcome,
        http_status,
        error as error_message,
        bytes as body_bytes,
        content_hash,
        content_type,
        charset,
        rel_canonical,
        duplicate_of,
        attempts,
        fetched_at,
        elapsed_ms
    from source
)

select * from renamed
