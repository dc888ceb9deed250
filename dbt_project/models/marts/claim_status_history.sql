-- The status of every claim on every night from its first mention to the night built: the
-- corroboration mart replayed night by night, for "when did it become corroborated?".
with

statused as (
    select * from {{ ref('int_claims_statused') }}
),

final as (
    select
        cast(claim_id as varchar) as claim_id,
        cast(as_of_date as date) as as_of_date,
        cast(status as varchar) as status,
        cast(status_reason as varchar) as status_reason,
        cast(n_supporting_affiliations as bigint) as n_supporting_affiliations,
        cast(n_disputing_affiliations as bigint) as n_disputing_affiliations,
        cast(quantity_min as double) as quantity_min,
        cast(quantity_max as double) as quantity_max
    from statused
)

select * from final
