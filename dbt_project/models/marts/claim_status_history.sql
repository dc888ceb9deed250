-- One row per claim per interval of unchanged state: the nights from `valid_from` to `valid_to`
-- (both included) on which the claim had the same status, reason, affiliation counts and
-- reported range. The open interval ends on the night built. Its status on night D:
--   where D between valid_from and valid_to
-- Gaps and islands over int_claims_statused (one row per claim per night with a new mention,
-- the only nights its state can change): a row starts an interval when any tracked column
-- differs from the row before (null-safe), and an interval ends the night before the next one.
with

statused as (
    select * from {{ ref('int_claims_statused') }}
),

flagged as (
    select
        claim_id,
        as_of_date,
        status,
        status_reason,
        n_supporting_affiliations,
        n_disputing_affiliations,
        quantity_min,
        quantity_max,
        row_number() over claim_nights = 1
        or status is distinct from lag(status) over claim_nights
        or status_reason is distinct from lag(status_reason) over claim_nights
        or n_supporting_affiliations is distinct from lag(n_supporting_affiliations) over claim_nights
        or n_disputing_affiliations is distinct from lag(n_disputing_affiliations) over claim_nights
        or quantity_min is distinct from lag(quantity_min) over claim_nights
        or quantity_max is distinct from lag(quantity_max) over claim_nights
            as starts_interval
    from statused
    window claim_nights as (partition by claim_id order by as_of_date)
),

intervals as (
    select
        *,
        lead(as_of_date) over (partition by claim_id order by as_of_date) as next_valid_from
    from flagged
    where starts_interval
),

final as (
    select
        cast(claim_id as varchar) as claim_id,
        cast(as_of_date as date) as valid_from,
        cast(coalesce(next_valid_from - interval 1 day, {{ as_of_date() }}) as date) as valid_to,
        cast(next_valid_from is null as boolean) as is_current,
        cast(status as varchar) as status,
        cast(status_reason as varchar) as status_reason,
        cast(n_supporting_affiliations as bigint) as n_supporting_affiliations,
        cast(n_disputing_affiliations as bigint) as n_disputing_affiliations,
        cast(quantity_min as double) as quantity_min,
        cast(quantity_max as double) as quantity_max
    from intervals
)

select * from final
