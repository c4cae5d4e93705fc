"""The report as one HTML page: totals, charts (inline SVG), the table; readable offline and on A4 paper."""

from html import escape

from report.columns import COLUMNS, Column, Kind
from report.formats import HOUR, duration, share
from report.model import MonthFigures, ServiceReport
from report.page_charts import charts

STYLE = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f23;background:#fff}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
p{margin:.25rem 0}.scope{color:#57606a}.note{color:#57606a;font-size:.85rem}
dl.totals{display:grid;grid-template-columns:repeat(4,minmax(9rem,1fr));gap:.5rem;margin:1rem 0}
dl.totals div{border:1px solid #d0d7de;border-radius:.5rem;padding:.5rem .75rem}
dt{font-size:.8rem;color:#57606a}dd{margin:0;font-size:1.3rem;font-weight:600}
figure{margin:0 0 1rem}svg.chart{width:100%;max-width:760px;height:auto;display:block}
.table{overflow-x:auto}
table{border-collapse:collapse;font-size:.8rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d0d7de;padding:.25rem .4rem;vertical-align:top}td.t{white-space:nowrap}
th{background:#f6f8fa;font-weight:600;text-align:left}td.n{text-align:right;white-space:nowrap}
tbody tr:nth-child(even) td{background:#fafbfc}
@page{size:A4 landscape;margin:12mm}
@media print{
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  main{max-width:none;padding:0}body{font-size:10pt}
  h2{break-after:avoid}figure,dl.totals,tr{break-inside:avoid}
  .table{overflow:visible}table{font-size:8pt;width:100%}th,td{padding:1pt 3pt}
  thead{display:table-header-group}
  svg.chart{max-width:190mm}
}
"""


def _cell(column: Column, figures: MonthFigures) -> str:
    value = column.value(figures)
    if column.kind is Kind.TEXT:
        return f'<td class="t">{escape(str(value))}</td>'
    if value is None:
        text = "–"
    elif column.kind is Kind.SHARE:
        text = share(float(value))
    elif column.kind is Kind.HOURS:
        text = duration(float(value) * HOUR)
    else:
        text = str(value)
    return f'<td class="n">{escape(text)}</td>'


# The page splits the CSV's columns into two tables, each of which fits A4 landscape; both start with
# the establishment and the month. tests/report/test_page.py checks that every column is on the page.
KEYS = ("establishment_id", "month")
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Applications and outcomes",
        (
            "time_zone",
            "applications",
            "certificates",
            "rejected",
            *(c.name for c in COLUMNS if c.name.startswith("rejected_")),
            "withdrawn",
            "open",
        ),
    ),
    (
        "The term, the times and the review queue",
        (
            "formed_within_term",
            "within_term_share",
            "breaches",
            "hours_to_certificate_median",
            "hours_to_certificate_p95",
            "reviews",
            "hours_in_review_median",
            "hours_in_review_p95",
            "awaiting_review",
            "hours_awaiting_review_oldest",
        ),
    ),
)
BY_NAME = {column.name: column for column in COLUMNS}


def _table(report: ServiceReport, table_id: str, names: tuple[str, ...]) -> str:
    columns = [BY_NAME[name] for name in (*KEYS, *names)]
    head = "".join(f'<th scope="col" data-column="{c.name}">{escape(c.title)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(_cell(c, figures) for c in columns) + "</tr>" for figures in report.rows)
    return (
        f'<div class="table"><table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def _totals(report: ServiceReport) -> str:
    rows = report.rows
    certificates = sum(r.certificates for r in rows)
    within = sum(r.formed_within_term for r in rows)
    figures = [
        ("applications", str(sum(r.applications for r in rows))),
        ("certificates", str(certificates)),
        ("formed within the term", share(within / certificates) if certificates else "–"),
        ("breaches", str(sum(r.breaches for r in rows))),
        ("refused", str(sum(r.rejected for r in rows))),
        ("withdrawn", str(sum(r.withdrawn for r in rows))),
        ("open", str(sum(r.open for r in rows))),
        ("awaiting review", str(sum(r.awaiting_review for r in rows))),
    ]
    cells = "".join(f"<div><dt>{escape(name)}</dt><dd>{escape(value)}</dd></div>" for name, value in figures)
    return f'<dl class="totals">{cells}</dl>'


def _scope(report: ServiceReport) -> str:
    where = f"at {report.establishment_id}" if report.establishment_id else "at every establishment"
    return (
        f'<p class="scope">Applications submitted from {report.first_day.isoformat()} to'
        f" {report.last_day.isoformat()} {escape(where)}, by calendar month in each establishment's own time"
        f" zone. As the records stood at {report.generated_at:%Y-%m-%d %H:%M} UTC.</p>"
    )


def report_html(report: ServiceReport) -> str:
    """The whole page: no script, no external resource, a print stylesheet for A4."""
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Service-level report {report.first_day.isoformat()} – {report.last_day.isoformat()}</title>",
        f"<style>{STYLE}</style></head><body><main>",
        "<h1>IIN for foreigners through foreign establishments: service-level report</h1>",
        _scope(report),
    ]
    if not report.rows:
        parts.append('<p id="empty">No application was submitted in this period.</p>')
    else:
        parts.append(_totals(report))
        for chart in charts(report):
            parts.append(f"<h2>{escape(chart.heading)}</h2>")
            parts += [f"<figure>{piece}</figure>" for piece in chart.pieces]
            parts.append(f'<p class="note">{escape(chart.note)}</p>')
        for number, (heading, names) in enumerate(TABLES, start=1):
            parts.append(f"<h2>{escape(heading)}, by establishment and month</h2>")
            parts.append(_table(report, f"figures-{number}", names))
        parts.append(
            '<p class="note">The term: the end of the first business day after the local day of submission.'
            " Durations are from submission; a breach is an application still open at its deadline."
            " Each column is described in docs/operations.md, “The service-level report”.</p>"
        )
    parts.append("</main></body></html>")
    return "".join(parts)
