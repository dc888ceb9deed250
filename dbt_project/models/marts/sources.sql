with

resolved as (
    select * from {{ ref('int_sources_resolved') }}
),

mentions as (
    select * from {{ ref('int_claim_mentions_clustered') }}
),

mention_names as (
    select * from {{ ref('stg_news__claim_mentions') }}
),

-- each claim's status on the night built: that of its latest night with news
statuses as (
    select * from {{ ref('int_claims_statused') }}
    qualify row_number() over (partition by claim_id order by as_of_date desc) = 1
),

attributes as (
    select
        r.source_id,
        coalesce(
            max(r.canonical_name),
            first(n.source_name_raw order by length(n.source_name_raw) desc, n.source_name_raw)
        ) as name,
        list(distinct n.source_name_raw order by n.source_name_raw) as aliases,
        {{ stable_mode('n.source_kind') }} as source_kind,
        coalesce({{ stable_mode("nullif(n.source_type, 'unknown')") }}, 'unknown')
            as source_type,
        {{ stable_mode('n.source_role') }} as role
    from resolved as r
    inner join mention_names as n on r.name = n.source_name_raw
    group by r.source_id
),

-- the affiliation its claim mentions count for, a national outlet's country included where
-- the story gave none (int_claim_mentions_enriched)
counted_affiliations as (
    select
        source_id,
        {{ stable_mode("nullif(source_affiliation, 'unknown')") }} as affiliation
    from mentions
    where source_id is not null
    group by source_id
),

activity as (
    select
        m.source_id,
        count(*) as n_mentions,
        count(distinct m.claim_id) as n_claims,
        count(distinct m.claim_id) filter (
            where s.status = 'corroborated' and m.stance = 'supports'
        ) as n_claims_corroborated,
        count(distinct m.claim_id) filter (
            where s.status in ('contested', 'denied') and m.stance = 'supports'
        ) as n_claims_disputed
    from mentions as m
    left join statuses as s on m.claim_id = s.claim_id
    where m.source_id is not null
    group by m.source_id
),

final as (
    select
        cast(a.source_id as varchar) as source_id,
        cast(a.name as varchar) as name,
        cast(a.aliases as varchar[]) as aliases,
        cast(a.source_kind as varchar) as source_kind,
        cast(a.source_type as varchar) as source_type,
        cast(a.role as varchar) as role,
        cast(coalesce(ca.affiliation, 'unknown') as varchar) as affiliation,
        cast(a.source_kind = 'anonymous' as boolean) as is_anonymous,
        cast(coalesce(act.n_mentions, 0) as bigint) as n_mentions,
        cast(coalesce(act.n_claims, 0) as bigint) as n_claims,
        cast(coalesce(act.n_claims_corroborated, 0) as bigint) as n_claims_corroborated,
        cast(coalesce(act.n_claims_disputed, 0) as bigint) as n_claims_disputed
    from attributes as a
    -- the sources behind claims: a source that only asked, pledged or praised is not listed
    inner join activity as act on a.source_id = act.source_id
    left join counted_affiliations as ca on a.source_id = ca.source_id
)

select * from final
