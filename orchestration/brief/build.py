"""Build the morning brief: one self-contained HTML page from a published version's marts.

    build_brief(published_db, out_dir, run_id=..., published_at=...) -> Brief

writes `out_dir/index.html`: the queries' rows (queries.py) arranged by a Jinja2 template, the
charts as Vega-Lite specs (charts.py) drawn by the Vega bundle inlined once (assets.py), the
styles and the filtering script inlined too. The page needs no server and no network. No
Dagster imports here: the publish step calls this on the version it is about to publish.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from orchestration.brief import charts, queries
from orchestration.brief.assets import vega_bundle

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
PAGE = "index.html"


@dataclass
class Brief:
    path: Path
    night: date | None
    n_cards: int
    n_charts: int
    n_bytes: int
    seconds: float

    def summary(self) -> dict:
        return {
            "path": f"brief/{PAGE}",
            "night": self.night.isoformat() if self.night else None,
            "claim_cards": self.n_cards,
            "charts": self.n_charts,
            "bytes": self.n_bytes,
            "seconds": round(self.seconds, 3),
        }


# -- formatting (presentation only: every number shown is a query's value) ----------------------


def fmt_number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_day(value: date | None) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}" if value else "unknown"


def fmt_short_day(value: date | None) -> str:
    return f"{value.day} {value:%b}" if value else "unknown"


def fmt_time(value: datetime | None) -> str:
    if value is None:
        return "time unknown"
    return f"{value.day} {value:%b %Y, %H:%M} UTC"


def fmt_range(low, high, unit: str | None) -> str:
    """ "7,500 to 9,000 troops", or one number when both ends are the same."""
    ends = [v for v in (low, high) if v is not None]
    if not ends:
        return ""
    text = (
        fmt_number(ends[0])
        if min(ends) == max(ends)
        else f"{fmt_number(low)} to {fmt_number(high)}"
    )
    return f"{text} {unit}" if unit else text


def web_url(value: str | None) -> str | None:
    """An article's address as a link target: http(s) only (never `javascript:` and the like)."""
    return value if value and value.lower().startswith(("http://", "https://")) else None


def fmt_affiliations(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").split(",") if a.strip()]


def _group(records: list[dict], key: str = "claim_id") -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        out[r[key]].append(r)
    return out


def _units(points: list[dict]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for p in points:
        counts[p["quantity_unit"]] += 1
    return " / ".join(sorted(counts, key=lambda u: (-counts[u], u)))


# -- the page -----------------------------------------------------------------------------------


def collect(con, night: date | None) -> dict:
    """Everything the page shows, from the marts."""
    night = queries.night_of_marts(con) or night
    cards = queries.select_cards(con)
    wordings = _group(queries.card_wordings(con))
    articles = _group(queries.card_articles(con))
    sources = _group(queries.card_sources(con))
    numbers = _group(queries.card_quantities(con))
    history = queries.card_history(con)
    for card in cards:
        cid = card["claim_id"]
        card["wordings"] = wordings.get(cid, [])
        card["articles"] = articles.get(cid, [])
        card["supporters"] = [s for s in sources.get(cid, []) if s["stance"] == "supports"]
        card["disputers"] = [s for s in sources.get(cid, []) if s["stance"] == "disputes"]
        card["quantities"] = numbers.get(cid, [])
        card["history"] = [h for h in history if h["claim_id"] == cid]
        card["supporting"] = fmt_affiliations(card["supporting_affiliations"])
        card["disputing"] = fmt_affiliations(card["disputing_affiliations"])
        card["unit"] = _units(card["quantities"]) if card["quantities"] else None
    return {
        "night": night,
        "previous_night": night - timedelta(days=1) if night else None,
        "glance": queries.glance(con, night) if night else None,
        "status_counts": queries.status_counts(con),
        "changes": queries.status_changes(con, night) if night else [],
        "new_claims": queries.new_claims(con, night) if night else [],
        "cards": cards,
        "history": history,
        "track_record": queries.track_record(con),
        "articles_per_night": queries.articles_per_night(con),
        "outlets": queries.outlets(con),
        "syndication": _group(queries.syndication_groups(con), "syndication_group_id"),
    }


def chart_specs(data: dict) -> dict[str, dict]:
    specs: dict[str, dict] = {}
    if data["history"]:
        specs["status-over-time"] = charts.status_over_time(data["history"], data["cards"])
    for card in data["cards"]:
        if card["quantities"]:
            specs[f"numbers-{card['claim_id']}"] = charts.quantities(
                card["quantities"], card["unit"]
            )
    if data["articles_per_night"]:
        specs["articles-per-night"] = charts.articles_per_night(data["articles_per_night"])
    return specs


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=fmt_number, day=fmt_day, short_day=fmt_short_day, time=fmt_time,
        short=charts.short, web_url=web_url,
    )  # fmt: skip
    env.globals.update(
        STATUSES=queries.STATUSES, STATUS_LABELS=charts.STATUS_LABELS,
        STATUS_COLOURS=charts.STATUS_COLOURS, fmt_range=fmt_range,
    )  # fmt: skip
    return env


def render(data: dict, specs: dict, *, run_id: str, published_at: datetime,
           code_version: str | None, cache_dir: Path | None) -> str:  # fmt: skip
    template = _environment().get_template("brief.html.j2")
    affiliations = sorted({a for c in data["cards"] for a in c["supporting"] + c["disputing"]})
    source_names = sorted({s["name"] for c in data["cards"]
                           for s in c["supporters"] + c["disputers"]})  # fmt: skip
    return template.render(
        **data,
        specs=specs,
        affiliations=affiliations,
        source_names=source_names,
        source_types=sorted({s["source_type"] for s in data["track_record"]}),
        source_affiliations=sorted({s["affiliation"] for s in data["track_record"]}),
        run_id=run_id,
        published_at=published_at,
        code_version=code_version,
        css=(TEMPLATES / "brief.css").read_text(encoding="utf-8"),
        script=(TEMPLATES / "brief.js").read_text(encoding="utf-8"),
        vega=vega_bundle(cache_dir) if specs else "",
        specs_json=_script_json(specs),
    )


def _script_json(value) -> str:
    """JSON safe inside a <script> element (no "</script>", no "<!--")."""
    text = json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def build_brief(
    published_db: Path,
    out_dir: Path,
    *,
    run_id: str,
    published_at: datetime,
    night: date | None = None,
    code_version: str | None = None,
    cache_dir: Path | None = None,
) -> Brief:
    """Write out_dir/index.html from the marts in `published_db` (a published DuckDB file)."""
    began = time.monotonic()
    with queries.open_marts(published_db) as con:
        data = collect(con, night)
    specs = chart_specs(data)
    html = render(data, specs, run_id=run_id, published_at=published_at,
                  code_version=code_version, cache_dir=cache_dir)  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / PAGE
    path.write_text(html, encoding="utf-8")
    return Brief(path, data["night"], len(data["cards"]), len(specs), len(html.encode()),
                 time.monotonic() - began)  # fmt: skip
