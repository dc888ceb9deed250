-- The corroboration status of each claim on each night it got a new mention (the grain of
-- int_claim_support_nightly: its status on a night in between is that of the latest such night
-- before, since no rule depends on anything but the mentions published by then), from its
-- support (see the rules table in _intermediate__models.yml):
--   denied        only disputing mentions;
--   contested     supported, and disputed by an affiliation that does not support it;
--   corroborated  supported by two or more affiliations, disputed by none;
--   single_source supported by exactly one affiliation (or only by named sources whose
--                 affiliation is unknown), disputed by none;
--   unattributed  supported only by unattributed or anonymous reporting.
with

support as (
    select * from {{ ref('int_claim_support_nightly') }}
),

statused as (
    select
        *,
        case
            when n_supporting_mentions = 0 and n_disputing_mentions > 0 then 'denied'
            when n_supporting_sources > 0 and n_disputing_other_affiliations > 0 then 'contested'
            when n_supporting_affiliations >= 2 then 'corroborated'
            when n_supporting_sources > 0 then 'single_source'
            else 'unattributed'
        end as status
    from support
),

final as (
    select
        *,
        case status
            when 'denied' then
                'Only denied: ' || n_disputing_mentions || ' disputing mention(s)'
                || coalesce(' from ' || disputing_affiliations, '') || ', no support.'
            when 'contested' then
                'Supported by ' || coalesce(supporting_affiliations, 'sources of unknown affiliation')
                || ' but disputed by ' || coalesce(disputing_affiliations, 'an unknown party') || '.'
            when 'corroborated' then
                'Supported by ' || n_supporting_affiliations || ' independent affiliations ('
                || supporting_affiliations || ') in ' || n_independent_reports
                || ' independent report(s); disputed by none.'
            when 'single_source' then
                'Supported only by ' || coalesce(supporting_affiliations, 'sources of unknown affiliation')
                || ' (' || n_supporting_sources || ' source(s)); no independent confirmation yet.'
            else
                'Reported only without attribution or by anonymous sources ('
                || n_supporting_mentions || ' mention(s)).'
        end as status_reason
    from statused
)

select * from final
