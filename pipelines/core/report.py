"""The KPI report: one self-contained HTML file for senior managers (`csc report`, and a Dagster asset).

Per LA: the latest complete month's scorecard with RAG status; a section per KPI family (seed
kpi_targets) with a trend chart per KPI over the reporting window, its target line and the average of
all loaded LAs; the assessment durations in the DfE's working-day bands; the looked-after number
against the council's trajectory and its placement mix; the council beside its DfE-published figures,
statistical neighbours, region and England; the Front Door's open contacts by how long they have
waited; and the data's "as at" date and data-quality status.
Charts are inline SVG drawn here, so the file needs no network, scripts or fonts to open.
Only aggregates appear: no child-level row leaves the warehouse through the report.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import duckdb
import pandas as pd

from .warehouse import has_table

RAG_COLOURS = {"GREEN": "#1b7f3b", "AMBER": "#c77700", "RED": "#b3261e"}
DURATION_BANDS = [("wd_0", "0"), ("wd_1_10", "1-10"), ("wd_11_20", "11-20"), ("wd_21_30", "21-30"),
                  ("wd_31_40", "31-40"), ("wd_41_45", "41-45"), ("wd_46_50", "46-50"), ("wd_51_60", "51-60"),
                  ("wd_61_plus", "61+")]
# the placement-mix chart's bars (kpi_looked_after's nine groups), with short labels that fit under them
PLACEMENT_GROUPS = [("fostering_in_house", "in-house"), ("fostering_agency", "agency"),
                    ("fostering_kinship", "kinship"), ("fostering_other", "oth. fost."),
                    ("residential", "resid."), ("supported_accommodation", "support."),
                    ("placed_with_parents", "parents"), ("placed_for_adoption", "adoption"),
                    ("other_placement", "other")]
COUNT_UNITS = {"children", "referrals", "workers"}
WAIT_BUCKETS = [(0, 24, "up to 24 h"), (24, 72, "1-3 days"), (72, 168, "3-7 days"), (168, 672, "1-4 weeks"),
                (672, float("inf"), "over 4 weeks")]
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d1d1f;max-width:1180px}
h1{font-size:26px;margin:0 0 4px} h2{font-size:21px;margin:36px 0 4px;border-top:3px solid #1d3557;padding-top:14px}
h3{font-size:15px;margin:18px 0 6px} .meta{color:#555;font-size:13px}
h3 .source{font-weight:normal;color:#555;font-size:13px}
table.scorecard{border-collapse:collapse;font-size:13px;margin:8px 0} .scorecard th,.scorecard td{padding:4px 10px;
border-bottom:1px solid #ddd;text-align:left} .rag{color:#fff;border-radius:3px;padding:1px 7px;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:10px}
.chart{border:1px solid #e3e3e3;border-radius:6px;padding:6px} .chart.wide{grid-column:span 2}
.chart h4{margin:0 0 2px;font-size:13px}
.legend{font-size:11px;color:#555} .status-pass{color:#1b7f3b}.status-warn{color:#c77700}.status-error{color:#b3261e}
"""


# what each dataset is called where the report says which one fed a section
DATASET_NAMES = {"ssd": "the SSD tables", "ssda903": "the SSDA903 returns", "cin_census": "the CIN census"}


def _esc(value) -> str:
    return html.escape("" if value is None else str(value))


def _fmt(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "no data"
    if unit == "percent":
        return f"{value:.1f}%"
    return f"{value:,.0f}" if unit in COUNT_UNITS else f"{value:.1f}"


def line_chart(months: list[str], series: list[tuple[str, list, str, str]], target: float | None,
               width: int = 360, height: int = 170) -> str:
    """An SVG line chart; series are (label, values aligned with months, colour, dash)."""
    left, right, top, bottom = 38, 8, 8, 24
    values = [v for _, vs, _, _ in series for v in vs if v is not None and not pd.isna(v)]
    if target is not None:
        values.append(target)
    low, high = (min(values + [0.0]), max(values + [1.0])) if values else (0.0, 1.0)
    high = high if high > low else low + 1
    span_x = max(len(months) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * i / span_x

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - low) / (high - low))

    parts = [f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img">']
    for tick in (low, (low + high) / 2, high):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eee"/>'
                     f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" font-size="10" text-anchor="end">{tick:.0f}</text>')
    for i, anchor in ((0, "start"), (len(months) // 2, "middle"), (len(months) - 1, "end")):
        if 0 <= i < len(months):
            parts.append(f'<text x="{x(i):.1f}" y="{height - 6}" font-size="10" '
                         f'text-anchor="{anchor}">{months[i]}</text>')
    if target is not None:
        parts.append(f'<line class="target" x1="{left}" x2="{width - right}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" stroke="#1b7f3b" stroke-dasharray="5 4"/>')
    for label, vs, colour, dash in series:
        runs, run = [], []
        for i, v in enumerate(vs):
            if v is None or pd.isna(v):
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for points in runs:
            parts.append(f'<polyline class="series" data-series="{_esc(label)}" fill="none" stroke="{colour}" '
                         f'stroke-width="2" stroke-dasharray="{dash}" points="{" ".join(points)}"/>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(labels: list[str], counts: list[int], colours: list[str], css_class: str = "waits",
              width: int = 420, height: int = 160) -> str:
    left, bottom, top = 10, 30, 10
    peak = max(counts + [1])
    bar = (width - 2 * left) / max(len(labels), 1)
    parts = [f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img">']
    for i, (label, count, colour) in enumerate(zip(labels, counts, colours, strict=True)):
        h = (height - bottom - top) * count / peak
        x0 = left + i * bar
        parts.append(f'<rect x="{x0 + 4:.1f}" y="{height - bottom - h:.1f}" width="{bar - 8:.1f}" height="{h:.1f}" '
                     f'fill="{colour}"/><text x="{x0 + bar / 2:.1f}" y="{height - bottom - h - 3:.1f}" font-size="11" '
                     f'text-anchor="middle">{count}</text><text x="{x0 + bar / 2:.1f}" y="{height - 12}" '
                     f'font-size="10" text-anchor="middle">{_esc(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    def mart(name: str, where: str = "") -> pd.DataFrame:
        # a serving file from before a mart existed renders without that section
        if not has_table(con, "marts", name):
            return pd.DataFrame()
        return con.execute(f"SELECT * FROM marts.{name} {where}").df()

    return {
        "scorecard": mart("kpi_scorecard"),
        "extracts": con.execute("SELECT * FROM marts.extracts WHERE is_current ORDER BY la_code").df(),
        "waits": con.execute("SELECT la_code, hours_waiting FROM marts.front_door_open_contacts").df(),
        "assessments": mart("kpi_assessments"),
        "looked_after": mart("kpi_looked_after", "ORDER BY la_code, period_start"),
        "benchmarks": mart("kpi_benchmarks"),
    }


def render_report(con: duckdb.DuckDBPyConnection, title: str = "Children's social care KPIs") -> str:
    f = _frames(con)
    card = _with_month(f["scorecard"])
    average = card.groupby(["month", "kpi_id"])["value"].mean().to_dict()
    # what each council's section needs is looked up once, from whole-column operations: pandas' per-row
    # access (iterrows, a mask per council and family) was 3 of the report's 4 s at 152 councils
    value_of = {(la, kpi, month): value for la, kpi, month, value
                in card[["la_code", "kpi_id", "month", "value"]].itertuples(index=False, name=None)}
    months_of = {la: sorted(months) for la, months in card.groupby("la_code")["month"].unique().items()}
    latest_of = dict(card.loc[card["is_latest_complete_month"], ["la_code", "month"]]
                     .drop_duplicates("la_code").itertuples(index=False, name=None))
    sources_of: dict[str, dict[str, set[str]]] = {}  # council -> its KPI families -> the datasets they came from
    for la, family, source in card[["la_code", "kpi_family", "source_dataset"]].drop_duplicates().itertuples(
            index=False, name=None):
        if _present(family):
            sources_of.setdefault(la, {}).setdefault(family, set()).update([source] if _present(source) else [])
    cards, assessments, looked_after, benchmarks, extracts = (
        _records_by_la(frame) for frame in (card[card["month"] == card["la_code"].map(latest_of)],
                                            _with_month(f["assessments"]), f["looked_after"], f["benchmarks"],
                                            f["extracts"]))
    waits: dict[str, list[float]] = {}
    for la, hours in f["waits"].itertuples(index=False, name=None):
        waits.setdefault(la, []).append(hours)
    kpis_of_family: dict[str, list[dict]] = {}
    for kpi in card.drop_duplicates("kpi_id").sort_values("kpi_id").to_dict("records"):
        kpis_of_family.setdefault(kpi["kpi_family"], []).append(kpi)
    body = [f"<h1>{_esc(title)}</h1>",
            f'<p class="meta">Generated {dt.datetime.now():%d %B %Y %H:%M} for {len(f["extracts"])} council(s). '
            "Targets are local defaults (seeds/kpi_targets.csv), not national standards.</p>"]
    for la in sorted(extracts):
        current, months, latest = extracts[la], months_of.get(la, []), latest_of.get(la)
        body.append(f'<section class="la" id="la-{_esc(la)}"><h2>{_esc(current[0]["la_name"])} ({_esc(la)})</h2>')
        for extract in current:  # one current extract per dataset the council sends
            body.append(f'<p class="meta">Data as at {extract["as_at"]:%d %B %Y %H:%M} from '
                        f'{_esc(DATASET_NAMES.get(extract["dataset"], extract["dataset"]))} &middot; data quality: '
                        f'<span class="status-{_esc(extract["dq_status"])}">{_esc(extract["dq_status"])}</span> '
                        + (f'&middot; extract {_esc(extract["freshness"])} ' if extract["is_newest"] else "")
                        + f'({_esc(extract["days_since_extract"])} days old)</p>')
        body.append(f"<h3>Scorecard, {latest or 'no data'}</h3>" + _scorecard_table(cards.get(la, [])))
        body.append('<p class="legend">Trends: solid, this council; grey dashed, the average of all loaded '
                    'councils; green dashed, the target.</p>')
        for family, datasets in sorted(sources_of.get(la, {}).items()):
            sources = ", ".join(DATASET_NAMES.get(d, d) for d in sorted(datasets))
            body.append(f'<h3 class="family">{_esc(family)} <span class="source">from {_esc(sources)}</span></h3>'
                        '<div class="charts">')
            for kpi in kpis_of_family.get(family, []):
                series = [(str(la), [value_of.get((la, kpi["kpi_id"], m)) for m in months], "#1d3557", "0"),
                          ("all councils", [average.get((m, kpi["kpi_id"])) for m in months], "#999", "3 3")]
                body.append(f'<div class="chart"><h4>{_esc(kpi["kpi_name"])}</h4>'
                            f"{line_chart(months, series, kpi['target'])}</div>")
            body.append(_assessment_bands(assessments.get(la), latest) if family == "Assessments" else "")
            body.append(_looked_after(looked_after.get(la)) if family == "Children looked after" else "")
            body.append("</div>")
        body.append(_benchmarks(benchmarks.get(la)))
        hours = waits.get(la, [])
        counts = [sum(1 for h in hours if (lo < h <= hi if lo else h <= hi)) for lo, hi, _ in WAIT_BUCKETS]
        colours = ["#1b7f3b"] + ["#b3261e"] * (len(WAIT_BUCKETS) - 1)
        body.append(f"<h3>Front Door: {len(hours)} contact(s) awaiting a decision, by hours waiting</h3>"
                    + bar_chart([label for *_, label in WAIT_BUCKETS], counts, colours) + "</section>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>")


def _present(value) -> bool:
    return value is not None and not pd.isna(value)


def _with_month(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its ``period_start`` as a ``YYYY-MM`` month."""
    if "period_start" in frame:
        frame = frame.assign(month=pd.to_datetime(frame["period_start"]).dt.strftime("%Y-%m"))
    return frame


def _records_by_la(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """A mart's rows as records split by council, each council's in the mart's order."""
    by_la: dict[str, list[dict]] = {}
    for row in frame.to_dict("records"):
        by_la.setdefault(row["la_code"], []).append(row)
    return by_la


def _scorecard_table(rows: list[dict]) -> str:
    lines = ['<table class="scorecard"><tr><th>KPI</th><th>Value</th><th>Target</th><th>Status</th></tr>']
    for r in sorted(rows, key=lambda r: r["kpi_id"]):
        rag = r["rag"] if isinstance(r["rag"], str) else None
        badge = (f'<span class="rag" style="background:{RAG_COLOURS[rag]}">{rag}</span>' if rag else "no data")
        direction = "at least" if r["direction"] == "higher_is_better" else "at most"
        lines.append(f"<tr><td>{_esc(r['kpi_name'])}</td><td>{_fmt(r['value'], r['unit'])}</td>"
                     f"<td>{direction} {_fmt(r['target'], r['unit'])}</td><td>{badge}</td></tr>")
    return "".join(lines) + "</table>"


def _assessment_bands(assessments: list[dict] | None, month: str | None) -> str:
    """The DfE duration bands of the council's assessments completed in the month: the spread across 45 days."""
    row = next((r for r in assessments or [] if r["month"] == month), None)
    if row is None or month is None:
        return ""
    counts = [int(row[column]) for column, _ in DURATION_BANDS]
    colours = ["#1b7f3b"] * 6 + ["#b3261e"] * 3  # up to 45 working days, then late
    return (f'<div class="chart"><h4>Assessments completed in {month}, by working days taken</h4>'
            + bar_chart([label for _, label in DURATION_BANDS], counts, colours, "bands", width=360) + "</div>")


def _looked_after(mine: list[dict] | None) -> str:
    """The number looked after against the council's planned trajectory, and the latest placement mix."""
    if not mine:
        return ""
    months = [f"{r['period_start']:%Y-%m}" for r in mine]
    series = [("looked after", [r["looked_after"] for r in mine], "#1d3557", "0"),
              ("trajectory", [r["trajectory_target"] for r in mine], "#1b7f3b", "5 4")]
    latest = mine[-1]
    counts = [int(latest[column]) for column, _ in PLACEMENT_GROUPS]
    return (f'<div class="chart"><h4>Children looked after against the planned trajectory</h4>'
            f'<p class="legend">Solid: looked after on each snapshot. Green dashed: the council\'s plan.</p>'
            f"{line_chart(months, series, None)}</div>"
            f'<div class="chart wide"><h4>Placement mix on {latest["snapshot_date"]:%d %B %Y}</h4>'
            + bar_chart([label for _, label in PLACEMENT_GROUPS], counts, ["#1d3557"] * len(counts), "placements",
                        width=500) + '<p class="legend">Fostering in-house, through agencies, with kin or other; '
            "residential care; supported accommodation; placed with parents; placed for adoption; other.</p></div>")


def _benchmarks(mine: list[dict] | None) -> str:
    """The council's latest whole year beside its published figure, its neighbours, region and England."""
    if not mine:
        return ""
    own_years = [r["year"] for r in mine if _present(r["own_value"])]
    year = int(max(own_years or [r["year"] for r in mine]))
    rows = sorted((r for r in mine if r["year"] == year), key=lambda r: r["benchmark_name"])
    lines = [f'<h3>Against the DfE\'s published figures, year to 31 March {year}</h3><table class="scorecard '
             'benchmarks"><tr><th>Measure</th><th>This warehouse</th><th>DfE published</th><th>Statistical '
             f'neighbours ({_esc(rows[0]["neighbour_model"])} model)</th><th>Region</th><th>England</th></tr>']
    for r in rows:
        cells = [_fmt(r[c], r["unit"]) for c in ("own_value", "published_value", "neighbours_mean", "region_value",
                                                   "england_value")]
        lines.append(f"<tr><td>{_esc(r['benchmark_name'])}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "".join(lines) + "</table>"


def write_kpi_report(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(con), encoding="utf-8")
    return out
