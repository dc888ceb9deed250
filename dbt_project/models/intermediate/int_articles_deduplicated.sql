-- One row per article published by the end of the night built: its newest parse (whichever
-- night fetched it: replaying an old night uses today's parser), with the time it counts from
-- (publication, else fetch) and the day it counts on (the publisher's own day, else the UTC day
-- of that time). Articles published after the night are left out, so building the nights one by
-- one replays history even from pages scraped later.
with

articles as (
    select * from {{ ref('stg_news__articles') }}
),

newest as (
    select
        *,
        coalesce(published_at, fetched_at) as effective_published_at,
        coalesce(
            published_date_local, cast(timezone('UTC', coalesce(published_at, fetched_at)) as date)
        ) as effective_published_on,
        row_number() over (partition by article_id order by night desc) as parse_rank
    from articles
),

final as (
    select * exclude (parse_rank)
    from newest
    where
        parse_rank = 1
        and effective_published_on <= {{ as_of_date() }}
)

select * from final
