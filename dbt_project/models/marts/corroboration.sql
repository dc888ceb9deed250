-- One row per claim: its status as of the night built (the `as_of_date` variable).
with

statused as (
    select * from {{ ref('int_claims_statused') }}
),

final as (
    select
        cast(claim_id as varchar) as claim_id,
        cast({{ as_of_date() }} as date) as as_of_date,
        cast(status as varchar) as status,
        cast(status_reason as varchar) as status_reason,
        cast(n_supporting_mentions as bigint) as n_supporting_mentions,
        cast(n_supporting_sources as bigint) as n_supporting_sources,
        cast(n_supporting_affiliations as bigint) as n_supporting_affiliations,
        cast(supporting_affiliations as varchar) as supporting_affiliations,
        cast(n_disputing_sources as bigint) as n_disputing_sources,
        cast(n_disputing_affiliations as bigint) as n_disputing_affiliations,
        cast(disputing_affiliations as varchar) as disputing_affiliations,
        cast(n_independent_reports as bigint) as n_independent_reports,
        cast(n_outlets as bigint) as n_outlets,
        cast(quantity_min as double) as quantity_min,
        cast(quantity_max as double) as quantity_max,
        cast(is_explicitly_unverified as boolean) as is_explicitly_unverified,
        cast(first_reported_at as timestamp with time zone) as first_reported_at,
        cast(first_source_id as varchar) as first_source_id,
        cast(first_outlet_id as varchar) as first_outlet_id
    from statused
    -- the latest night with news of each claim: its status since then, so on the night built
    qualify row_number() over (partition by claim_id order by as_of_date desc) = 1
)

select * from final
