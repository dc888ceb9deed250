"""Parse stage (pure Python, no Dagster): HTML from the raw archive -> articles and sentences.

Input: the night's rows of `raw.pages`, each pointing at its body in the raw archive by SHA-256
(`Warehouse.archive.get(content_hash)`), decoded with the `charset` the scraper detected, plus the
hints the sources gave (`hint_title`, `hint_published_at`, `hint_outlet`, `hint_language`).
Output: raw tables of articles (text, title, authors, date, outlet, language) and sentences with
character offsets, written per night like the scrape stage's tables. Built in its own issue.
"""
