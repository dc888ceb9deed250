"""The raw tables of a warehouse built by an earlier release gain the columns added since."""

from __future__ import annotations

from orchestration.warehouse import MENTION_COLUMNS, Warehouse


def test_an_older_claim_mentions_table_gains_the_new_columns(tmp_path):
    wh = Warehouse(tmp_path / "warehouse")
    wh.ensure_schema()
    added = ("predicate", "is_negated", "speech_act")
    with wh.connect() as con:
        for column in added:  # as a warehouse from before these columns looked
            con.execute(f"alter table raw.claim_mentions drop column {column}")
        con.execute(
            "insert into raw.claim_mentions (night, mention_id, article_id, mention_index, run_id,"
            " extractor_version, claim_text, char_start, char_end, attribution_kind, is_hedged,"
            " hedges, is_denial, is_explicitly_unverified, chain) values ('2026-03-02', 'm1',"
            " 'a1', 0, 'r1', 'old', 'troops crossed', 0, 14, 'indirect', false, [], false,"
            " false, [])"
        )
    wh.ensure_schema()
    with wh.connect(read_only=True) as con:
        columns = [r[0] for r in con.execute("describe raw.claim_mentions").fetchall()]
        kept = con.execute("select mention_id, speech_act from raw.claim_mentions").fetchall()
    assert set(MENTION_COLUMNS) <= set(columns)
    # the old row is kept; the staging model reads its missing speech act as an assertion
    assert kept == [("m1", None)]


def test_an_older_articles_table_gains_the_date_and_language_columns(tmp_path):
    from orchestration.warehouse import ARTICLE_COLUMNS

    wh = Warehouse(tmp_path / "warehouse")
    wh.ensure_schema()
    added = ("published_date_local", "published_utc_offset_minutes", "language_reason")
    with wh.connect() as con:
        for column in added:  # as a warehouse of parser parse-1.0 looked
            con.execute(f"alter table raw.articles drop column {column}")
        con.execute(
            "insert into raw.articles (night, article_id, run_id, source_name, url,"
            " canonical_url, content_hash, fetched_at, outlet, authors, word_count, text,"
            " status, parser_version) values ('2026-03-02', 'a1', 'r1', 's', 'u', 'u', 'h',"
            " '2026-03-02 08:00:00+00', 'o', [], 0, '', 'empty', 'parse-1.0')"
        )
    wh.ensure_schema()
    with wh.connect(read_only=True) as con:
        columns = [r[0] for r in con.execute("describe raw.articles").fetchall()]
        kept = con.execute(
            "select article_id, published_date_local, language_reason from raw.articles"
        ).fetchall()
    assert set(ARTICLE_COLUMNS) <= set(columns)
    assert kept == [("a1", None, None)]
