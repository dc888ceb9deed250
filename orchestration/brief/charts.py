"""The brief's charts as Vega-Lite specifications, written with Altair (validated against the
Vega-Lite schema) and drawn in the browser by the Vega bundle inlined once in the page.

The data of every chart are rows of the brief's queries (orchestration/brief/queries.py): the
charts draw the numbers of the marts and compute none (bars stack the rows, no aggregate).
Nights are UTC dates, drawn on UTC scales so the reader's time zone never moves a bar.
"""

from __future__ import annotations

from datetime import date, datetime

import altair as alt

from orchestration.brief.queries import STATUSES

# Colour-blind-safe (Okabe-Ito), light enough for black text in the bars (contrast >= 5.6);
# the status is always written as text too.
STATUS_COLOURS = {
    "corroborated": "#009e73",
    "contested": "#e69f00",
    "denied": "#cc79a7",
    "single_source": "#56b4e9",
    "unattributed": "#bbbbbb",
}
STATUS_LABELS = {
    "corroborated": "Corroborated",
    "contested": "Contested",
    "denied": "Denied",
    "single_source": "Single source",
    "unattributed": "Unattributed",
}
# Written inside a status bar (one night wide at least), so colour is never the only signal.
STATUS_SHORT = {
    "corroborated": "corr.",
    "contested": "cont.",
    "denied": "den.",
    "single_source": "single",
    "unattributed": "unattr.",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
}


def _json(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _values(records: list[dict], fields: list[str]) -> alt.Data:
    return alt.Data(values=[{f: _json(r.get(f)) for f in fields} for r in records])


def _spec(chart: alt.TopLevelMixin, description: str) -> dict:
    spec = chart.properties(description=description).configure(**CONFIG).to_dict()
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def short(text: str, limit: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_over_time(history: list[dict], cards: list[dict]) -> dict:
    """One row per card's claim, one bar per status interval over the nights, the status
    written in the bar."""
    labels = {c["claim_id"]: f"{c['position']}. {short(c['canonical_text'], 60)}" for c in cards}
    records = [
        {
            **h,
            "claim": labels[h["claim_id"]],
            "status_label": STATUS_LABELS[h["status"]],
            "status_short": STATUS_SHORT[h["status"]],
        }
        for h in history
    ]
    data = _values(
        records,
        ["claim", "valid_from", "valid_to", "valid_until", "status", "status_label",
         "status_short", "status_reason"],
    )  # fmt: skip
    order = [labels[c["claim_id"]] for c in cards]
    axis = alt.Axis(format="%-d %b", tickCount="day", labelAngle=0, orient="top")
    x = alt.X("valid_from:T", title="night (UTC)", scale=alt.Scale(type="utc"), axis=axis)
    # on a narrow screen the claims' labels take at most 40% of the width (their full text is in
    # the table below), and the words in the bars, which would not fit, are left out
    label_limit = alt.ExprRef("clamp(containerSize()[0] * 0.4, 90, 320)")
    y = alt.Y("claim:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=label_limit, labelFontSize=11))  # fmt: skip
    base = alt.Chart(data).encode(x=x, y=y)
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        x2="valid_until:T",
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=list(STATUSES), range=[STATUS_COLOURS[s] for s in STATUSES]),
            legend=alt.Legend(
                title="status",
                orient="bottom",
                labelExpr=_label_expr(),
                columns=alt.ExprRef("containerSize()[0] < 560 ? 2 : 5"),
            ),
        ),
        tooltip=[
            alt.Tooltip("claim:N", title="claim"),
            alt.Tooltip("status_label:N", title="status"),
            alt.Tooltip("valid_from:N", title="from"),
            alt.Tooltip("valid_to:N", title="to (included)"),
            alt.Tooltip("status_reason:N", title="why"),
        ],
    )
    wide = alt.ExprRef("containerSize()[0] >= 640 ? 1 : 0")
    text = base.mark_text(
        align="left", baseline="middle", dx=4, fontSize=10, color="black", opacity=wide
    ).encode(text="status_short:N")
    chart = (bars + text).properties(width="container", height=max(60, 22 * len(cards)))
    return _spec(
        chart,
        "Status of each key claim night by night: one row per claim, one bar per interval of "
        "unchanged status, the status written in the bar. The same data is in the table below.",
    )


def _label_expr() -> str:
    """Legend labels in words (the field holds the status code)."""
    cases = " : ".join(f"datum.label === '{s}' ? '{STATUS_LABELS[s]}'" for s in STATUSES)
    return f"{cases} : datum.label"


def _night_axis() -> alt.Axis:
    """Nights (ISO dates, UTC) on an ordinal axis, labelled "4 Mar"."""
    return alt.Axis(labelAngle=0, labelExpr="utcFormat(toDate(datum.value), '%-d %b')")


def quantities(points: list[dict], unit: str) -> dict:
    """The values reported for one claim, night by night: a dot per reported value, a line
    from low to high for bounds and ranges, one slot per source within a night."""
    fields = ["night", "source", "affiliation", "outlet", "quantity_value", "quantity_low",
              "quantity_high", "quantity_unit", "claim_text"]  # fmt: skip
    data = _values(points, fields)
    x = alt.X("night:O", title="night (UTC)", axis=_night_axis())
    offset = alt.XOffset("source:N")
    tooltip = [
        alt.Tooltip("source:N", title="source"),
        alt.Tooltip("affiliation:N", title="affiliation"),
        alt.Tooltip("outlet:N", title="outlet"),
        alt.Tooltip("night:N", title="night"),
        alt.Tooltip("quantity_value:Q", title="value", format=","),
        alt.Tooltip("quantity_low:Q", title="at least", format=","),
        alt.Tooltip("quantity_high:Q", title="at most", format=","),
        alt.Tooltip("claim_text:N", title="wording"),
    ]
    legend = alt.Legend(title="reported by", orient="bottom", labelLimit=220,
                        columns=alt.ExprRef("containerSize()[0] < 520 ? 1 : 2"))  # fmt: skip
    has_dots = any(p["quantity_value"] is not None for p in points)
    # who reported a value: the dot's colour and shape, one legend for both; the lines of ranges
    # and bounds are grey beside the dots (their source is in the tooltip and the table), and
    # coloured by source only when there are no dots
    colour = alt.value("#555555") if has_dots else alt.Color("source:N", legend=legend)
    y_scale = alt.Scale(zero=False, padding=8)
    y_axis = alt.Axis(format="~s", title=unit)
    base = alt.Chart(data).encode(x=x, xOffset=offset, color=colour, tooltip=tooltip)
    layers = []
    # a line from the lower to the upper bound and a tick at each bound that differs from the
    # value ("1.8 to 2.5 million": a line and two ticks; "about 8,000": a dot)
    if any(p["quantity_low"] is not None and p["quantity_high"] is not None for p in points):
        layers.append(
            base.transform_filter("isValid(datum.quantity_low) && isValid(datum.quantity_high)")
            .mark_rule(strokeWidth=2)
            .encode(y=alt.Y("quantity_low:Q", scale=y_scale, axis=y_axis), y2="quantity_high:Q")
        )
    for bound in ("quantity_low", "quantity_high"):
        if any(p[bound] is not None and p[bound] != p["quantity_value"] for p in points):
            layers.append(
                base.transform_filter(
                    f"isValid(datum.{bound}) && datum.{bound} !== datum.quantity_value"
                )
                .mark_tick(thickness=2, size=10)
                .encode(y=alt.Y(f"{bound}:Q", scale=y_scale, axis=y_axis))
            )
    if has_dots:
        layers.append(
            base.transform_filter("isValid(datum.quantity_value)")
            .mark_point(filled=True, size=70, opacity=0.9)
            .encode(
                y=alt.Y("quantity_value:Q", scale=y_scale, axis=y_axis),
                color=alt.Color("source:N", legend=legend),
                shape=alt.Shape("source:N", legend=legend),
            )
        )
    chart = alt.layer(*layers).properties(width="container", height=150)
    return _spec(
        chart,
        f"Values reported for this claim ({unit}) night by night, one mark per report, "
        "coloured and shaped by who reported it. The same values are in the table beside it.",
    )


def articles_per_night(records: list[dict]) -> dict:
    """Articles per night, one stacked segment per outlet."""
    data = _values(records, ["night", "outlet", "n_articles", "n_syndicated_copies"])
    legend = alt.Legend(title="outlet", orient="bottom", labelLimit=200,
                        columns=alt.ExprRef("containerSize()[0] < 520 ? 2 : 3"))  # fmt: skip
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("night:O", title="night (UTC)", axis=_night_axis()),
            y=alt.Y("n_articles:Q", title="articles", stack="zero"),
            color=alt.Color("outlet:N", legend=legend),
            tooltip=[
                alt.Tooltip("night:N", title="night"),
                alt.Tooltip("outlet:N", title="outlet"),
                alt.Tooltip("n_articles:Q", title="articles"),
                alt.Tooltip("n_syndicated_copies:Q", title="of them syndicated copies"),
            ],
        )
        .properties(width="container", height=180)
    )
    return _spec(
        chart,
        "Articles per night, stacked by outlet. The same counts are in the table below.",
    )
