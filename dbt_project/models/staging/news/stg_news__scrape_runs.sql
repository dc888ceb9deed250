with

source as (
    select * from {{ source('news', 'scrape_runs') }}
),

renamed as (
    select
        night,
        run_id,
        started_at,
        finished_at,
        code_version,
        n_discovered,
        n_pages
    from source
)

select * from renamed
