with

articles as (
    select * from {{ ref('int_articles_deduplicated') }}
),

known_outlets as (
    select * from {{ ref('known_outlets') }}
),

per_outlet as (
    select
        outlet_name,
        count(*) as n_articles,
        min(regexp_extract(canonical_url, '^[a-z]+://([^/:]+)', 1)) as domain
    from articles
    group by outlet_name
),

final as (
    select
        cast(md5(p.outlet_name) as varchar) as outlet_id,
        cast(p.outlet_name as varchar) as name,
        cast(coalesce(k.domain, p.domain) as varchar) as domain,
        cast(k.country as varchar) as country,
        cast(p.n_articles as bigint) as n_articles
    from per_outlet as p
    left join known_outlets as k on p.outlet_name = k.outlet_name
)

select * from final
