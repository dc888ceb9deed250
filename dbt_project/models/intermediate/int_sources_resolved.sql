-- Source resolution across articles: every name a source was given (as the extractor resolved
-- it within its article) is mapped to one source. In order: the alias seed; the same name once
-- normalised (case, accents, punctuation, a leading "the": "Lee Jae-myung" = "Lee Jaemyung");
-- a fuzzy match (Jaro-Winkler >= 0.93) to a more often used name of the same kind
-- ("Olaf Sholz" -> "Olaf Scholz"); a person's title dropped ("Chancellor Scholz"); and a
-- surname alone to the one person of that surname ("Scholz" -> "Olaf Scholz").
with

mentions as (
    select * from {{ ref('stg_news__claim_mentions') }}
    where source_name_raw is not null
),

aliases as (
    -- several spellings may normalise to one key ("the WFP", "WFP"): one row per key
    select {{ normalize_name('alias') }} as alias_key, min(canonical_name) as canonical_name
    from {{ ref('source_aliases') }}
    group by {{ normalize_name('alias') }}
),

names as (
    select
        source_name_raw as name,
        -- a person's title is not part of the name: "Chancellor Scholz" = "Scholz"
        case
            when {{ stable_mode('source_kind') }} = 'person' then regexp_replace(
                {{ normalize_name('source_name_raw') }},
                '^((president|chancellor|prime minister|premier|minister|foreign minister|'
                || 'defence minister|defense minister|general|gen|colonel|col|dr|mr|mrs|ms|'
                || 'senator|sen|rep|governor|gov|secretary|spokesman|spokeswoman|spokesperson|'
                || 'ambassador|king|queen|prince|pope|sheikh) )+',
                ''
            )
            else {{ normalize_name('source_name_raw') }}
        end as name_key,
        count(*) as n_mentions
    from mentions
    group by source_name_raw
),

aliased as (
    select
        n.name,
        n.name_key,
        n.n_mentions,
        a.canonical_name,
        coalesce({{ normalize_name('a.canonical_name') }}, n.name_key) as key_1
    from names as n
    left join aliases as a on n.name_key = a.alias_key
),

key_sizes as (
    select
        key_1,
        sum(n_mentions) as n_mentions,
        {{ stable_mode('m.source_kind') }} as source_kind
    from aliased as al
    inner join mentions as m on al.name = m.source_name_raw
    group by key_1
),

fuzzy as (
    select
        x.key_1,
        -- the most used candidate, then the closest, then the first in order: no ties left
        first(y.key_1 order by
            y.n_mentions desc, jaro_winkler_similarity(x.key_1, y.key_1) desc, y.key_1
        ) as key_2
    from key_sizes as x
    inner join key_sizes as y
        on
            x.key_1 <> y.key_1
            and x.source_kind = y.source_kind
            and jaro_winkler_similarity(x.key_1, y.key_1) >= 0.93
            and (y.n_mentions > x.n_mentions or (y.n_mentions = x.n_mentions and y.key_1 < x.key_1))
            and left(x.key_1, 1) = left(y.key_1, 1)
    group by x.key_1
),

surnames as (
    select
        x.key_1,
        min(y.key_1) as key_2
    from key_sizes as x
    inner join key_sizes as y
        on
            x.source_kind = 'person'
            and y.source_kind = 'person'
            and x.key_1 not like '% %'
            and y.key_1 like '% ' || x.key_1
    group by x.key_1
    having count(*) = 1
),

resolved as (
    select
        al.name,
        al.name_key,
        al.canonical_name,
        coalesce(s.key_2, f.key_2, al.key_1) as source_key
    from aliased as al
    left join fuzzy as f on al.key_1 = f.key_1
    left join surnames as s on al.key_1 = s.key_1
),

final as (
    select
        name,
        name_key,
        source_key,
        md5(source_key) as source_id,
        canonical_name
    from resolved
)

select * from final
