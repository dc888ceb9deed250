"""What the brief shows, as SQL over the published marts. Every number on the page comes from one
of these queries; Python only arranges the rows.

Each function takes a connection opened by `open_marts` (the published DuckDB file attached
read-only, the session in UTC so a timestamp's night is its UTC date) and returns plain rows
(dicts). No Dagster imports here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

# Statuses in the order the page lists them (the accepted values of corroboration.status).
STATUSES = ("corroborated", "contested", "denied", "single_source", "unattributed")
KEY_STATUSES = ("corroborated", "contested")
CHANGE_STATUSES = ("corroborated", "contested", "denied")
# Cards: every corroborated and contested claim, then at most this many others, the most
# reported first (by outlets, independent reports, mentions), each mentioned at least twice.
MAX_OTHER_CARDS = 20
MIN_MENTIONS_OTHER = 2
# New claims of the night listed at a glance, widest reach first.
MAX_NEW_CLAIMS = 5


@contextmanager
def open_marts(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection reading the marts of a published DuckDB file (read-only), in UTC."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("attach ? as published (read_only)", [str(db_path)])
        con.execute("use published")
        yield con
    finally:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict | Sequence | None = None):
    cur = con.execute(sql, params or [])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _statuses_values() -> str:
    """The statuses and their page order as SQL `values` rows (constants, not input)."""
    return ", ".join(f"('{s}', {i})" for i, s in enumerate(STATUSES))


def _in_list(values: Sequence[str]) -> str:
    """A constant list of statuses as an SQL `in (...)` list."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def night_of_marts(con) -> date | None:
    """The night the marts are as of (corroboration.as_of_date)."""
    return con.execute("select max(as_of_date) from marts.corroboration").fetchone()[0]


def glance(con, night: date) -> dict:
    """Counts for the night at a glance: what the warehouse knows by the night, and what was
    published on it (an article's night is its publication date, else its fetch date, in UTC)."""
    return rows(
        con,
        """
        with night_articles as (
            select * from marts.articles
            where cast(coalesce(published_at, fetched_at) as date) = $night
        )
        select
            (select count(*) from marts.articles) as n_articles,
            (select count(*) from marts.articles where parse_status = 'ok') as n_articles_analysed,
            (select count(*) from marts.outlets) as n_outlets,
            (select count(*) from night_articles) as n_articles_night,
            (select count(distinct outlet_id) from night_articles) as n_outlets_night,
            (select count(*) from marts.claims) as n_claims,
            (select count(*) from marts.claim_mentions) as n_mentions,
            (select count(*) from marts.sources) as n_sources,
            (select count(*) from (
                select claim_id from marts.claim_status_history
                group by claim_id having min(valid_from) = $night
            )) as n_new_claims
        """,
        {"night": night},
    )[0]


def status_counts(con) -> list[dict]:
    """Claims by status as of the night, every status listed (zero included)."""
    return rows(
        con,
        f"""
        with statuses(status, position) as (values {_statuses_values()})
        select s.status, count(c.claim_id) as n_claims
        from statuses as s
        left join marts.corroboration as c on c.status = s.status
        group by s.status, s.position
        order by s.position
        """,
    )


def status_changes(con, night: date) -> list[dict]:
    """Claims whose status became corroborated, contested or denied on the night: an interval
    of claim_status_history starting that night with another status than the interval before
    (none before: a new claim). Intervals are contiguous, so the interval before is the state
    on the previous night."""
    return rows(
        con,
        f"""
        with history as (
            select
                *,
                lag(status) over (partition by claim_id order by valid_from) as previous_status
            from marts.claim_status_history
        ),
        statuses(status, position) as (values {_statuses_values()})
        select
            h.claim_id, h.status, h.previous_status, h.status_reason, k.canonical_text,
            c.n_independent_reports, c.n_outlets
        from history as h
        join marts.claims as k on k.claim_id = h.claim_id
        join marts.corroboration as c on c.claim_id = h.claim_id
        join statuses as s on s.status = h.status
        where h.valid_from = $night
          and h.status in {_in_list(CHANGE_STATUSES)}
          and h.previous_status is distinct from h.status
        order by s.position, c.n_independent_reports desc, c.n_outlets desc, h.claim_id
        """,
        {"night": night},
    )


def new_claims(con, night: date, limit: int = MAX_NEW_CLAIMS) -> list[dict]:
    """Claims first seen on the night (their first status interval starts then), widest reach
    first."""
    return rows(
        con,
        """
        with firsts as (
            select claim_id from marts.claim_status_history
            group by claim_id having min(valid_from) = $night
        )
        select
            c.claim_id, k.canonical_text, c.status, c.status_reason,
            c.n_independent_reports, c.n_outlets, k.n_mentions
        from firsts
        join marts.corroboration as c on c.claim_id = firsts.claim_id
        join marts.claims as k on k.claim_id = firsts.claim_id
        order by c.n_outlets desc, c.n_independent_reports desc, k.n_mentions desc, c.claim_id
        limit $limit
        """,
        {"night": night, "limit": limit},
    )


def select_cards(
    con, max_others: int = MAX_OTHER_CARDS, min_mentions: int = MIN_MENTIONS_OTHER
) -> list[dict]:
    """The claims that get a card, in page order: every corroborated claim, every contested
    claim, then the most reported others (by outlets, independent reports, mentions). Kept in
    the temporary table `brief_cards` (claim_id, position) for the card queries below."""
    con.execute(
        f"""
        create or replace temp table brief_cards as
        with statuses(status, position) as (values {_statuses_values()}),
        claims as (
            select
                c.claim_id, c.status, s.position as status_position, c.n_outlets,
                c.n_independent_reports, k.n_mentions,
                c.status in {_in_list(KEY_STATUSES)} as is_key
            from marts.corroboration as c
            join marts.claims as k on k.claim_id = c.claim_id
            join statuses as s on s.status = c.status
        ),
        key_claims as (select * from claims where is_key),
        others as (
            select * from claims
            where not is_key and n_mentions >= $min_mentions
            order by n_outlets desc, n_independent_reports desc, n_mentions desc, claim_id
            limit $max_others
        ),
        chosen as (select * from key_claims union all select * from others)
        select
            claim_id,
            row_number() over (
                order by not is_key, case when is_key then status_position end,
                    n_outlets desc, n_independent_reports desc, n_mentions desc, claim_id
            ) as position
        from chosen
        """,
        {"max_others": max_others, "min_mentions": min_mentions},
    )
    return rows(
        con,
        """
        select
            b.position, c.claim_id, k.canonical_text, k.claim_type, c.status, c.status_reason,
            c.n_supporting_mentions, c.n_supporting_sources,
            c.n_supporting_affiliations, c.supporting_affiliations,
            c.n_disputing_sources, c.n_disputing_affiliations, c.disputing_affiliations,
            c.n_independent_reports, c.n_outlets, k.n_mentions, k.n_articles,
            c.quantity_min, c.quantity_max, c.is_explicitly_unverified,
            c.first_reported_at, k.first_seen_at, k.last_seen_at,
            s.name as first_source, s.role as first_source_role,
            s.affiliation as first_source_affiliation, o.name as first_outlet
        from brief_cards as b
        join marts.corroboration as c on c.claim_id = b.claim_id
        join marts.claims as k on k.claim_id = b.claim_id
        left join marts.sources as s on s.source_id = c.first_source_id
        left join marts.outlets as o on o.outlet_id = c.first_outlet_id
        order by b.position
        """,
    )


def card_wordings(con) -> list[dict]:
    """The wordings of each card's claim, the most frequent first, with their stance."""
    return rows(
        con,
        """
        select m.claim_id, m.claim_text, m.stance, count(*) as n_mentions
        from marts.claim_mentions as m
        join brief_cards as b on b.claim_id = m.claim_id
        group by m.claim_id, m.claim_text, m.stance
        order by m.claim_id, n_mentions desc, m.stance desc, m.claim_text
        """,
    )


def card_articles(con) -> list[dict]:
    """The articles that mention each card's claim, oldest first, with their stance(s) and
    whether they are syndicated copies (which count once as a report)."""
    return rows(
        con,
        """
        select
            m.claim_id, a.article_id, a.title, a.url, o.name as outlet, a.published_at,
            a.is_syndicated_copy, a.syndication_group_id,
            string_agg(distinct m.stance, ', ' order by m.stance desc) as stances,
            count(*) as n_mentions
        from marts.claim_mentions as m
        join brief_cards as b on b.claim_id = m.claim_id
        join marts.articles as a on a.article_id = m.article_id
        left join marts.outlets as o on o.outlet_id = a.outlet_id
        group by all
        order by m.claim_id, a.published_at nulls last, a.article_id
        """,
    )


def card_sources(con) -> list[dict]:
    """Who supports and who disputes each card's claim (named sources), with affiliation."""
    return rows(
        con,
        """
        select
            m.claim_id, m.stance, s.source_id, s.name, s.affiliation, s.source_type,
            count(*) as n_mentions
        from marts.claim_mentions as m
        join brief_cards as b on b.claim_id = m.claim_id
        join marts.sources as s on s.source_id = m.source_id
        group by all
        order by m.claim_id, m.stance desc, n_mentions desc, s.name
        """,
    )


def card_quantities(con) -> list[dict]:
    """Every number reported in support of a card's claim: the mention's night (publication
    date, UTC), value and bounds, unit, and who reported it where."""
    return rows(
        con,
        """
        select
            m.claim_id, m.mention_id, cast(m.published_at as date) as night, m.published_at,
            m.quantity_value, m.quantity_low, m.quantity_high, m.quantity_unit,
            m.is_quantity_approximate, m.claim_text,
            coalesce(s.name, 'unattributed') as source, s.affiliation,
            o.name as outlet
        from marts.claim_mentions as m
        join brief_cards as b on b.claim_id = m.claim_id
        left join marts.sources as s on s.source_id = m.source_id
        left join marts.outlets as o on o.outlet_id = m.outlet_id
        where m.stance = 'supports'
          and m.quantity_unit is not null
          and coalesce(m.quantity_value, m.quantity_low, m.quantity_high) is not null
        order by m.claim_id, m.published_at, m.mention_id
        """,
    )


def card_history(con) -> list[dict]:
    """Each card's status intervals (claim_status_history); `valid_until` is the night after
    `valid_to`, where a bar drawn over whole nights ends."""
    return rows(
        con,
        """
        select
            b.position, h.claim_id, h.valid_from, h.valid_to,
            cast(h.valid_to + interval 1 day as date) as valid_until,
            h.status, h.status_reason, h.is_current,
            h.n_supporting_affiliations, h.n_disputing_affiliations
        from marts.claim_status_history as h
        join brief_cards as b on b.claim_id = h.claim_id
        order by b.position, h.valid_from
        """,
    )


def track_record(con) -> list[dict]:
    """Sources with claims, by affiliation and type: the sources mart's track record."""
    return rows(
        con,
        """
        select
            source_id, name, source_kind, source_type, role, affiliation, is_anonymous,
            n_mentions, n_claims, n_claims_corroborated, n_claims_disputed
        from marts.sources
        where n_claims > 0
        order by affiliation, source_type, n_claims desc, n_claims_corroborated desc, name
        """,
    )


def articles_per_night(con) -> list[dict]:
    """Articles per outlet per night (publication date, else fetch date, UTC)."""
    return rows(
        con,
        """
        select
            cast(coalesce(a.published_at, a.fetched_at) as date) as night,
            o.name as outlet, count(*) as n_articles,
            count(*) filter (where a.is_syndicated_copy) as n_syndicated_copies
        from marts.articles as a
        join marts.outlets as o on o.outlet_id = a.outlet_id
        group by all
        order by night, outlet
        """,
    )


def outlets(con) -> list[dict]:
    return rows(
        con,
        """
        select
            o.outlet_id, o.name, o.domain, o.country, o.n_articles,
            count(a.article_id) filter (where a.is_syndicated_copy) as n_syndicated_copies,
            count(a.article_id) filter (where a.parse_status = 'ok') as n_articles_analysed
        from marts.outlets as o
        left join marts.articles as a on a.outlet_id = o.outlet_id
        group by all
        order by o.n_articles desc, o.name
        """,
    )


def syndication_groups(con) -> list[dict]:
    """Articles of every syndication group with more than one article (a wire story and its
    reprints), the original first."""
    return rows(
        con,
        """
        with groups as (
            select syndication_group_id from marts.articles
            group by syndication_group_id having count(*) > 1
        )
        select
            a.syndication_group_id, a.article_id, a.title, a.url, a.published_at,
            a.is_syndicated_copy, o.name as outlet
        from marts.articles as a
        join groups as g on g.syndication_group_id = a.syndication_group_id
        left join marts.outlets as o on o.outlet_id = a.outlet_id
        order by a.syndication_group_id, a.is_syndicated_copy, a.published_at, a.article_id
        """,
    )
