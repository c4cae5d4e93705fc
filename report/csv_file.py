"""The report as CSV: a header row, then one row per establishment and month, numbers never localized."""

import csv
import io

from report.columns import COLUMNS, Kind, Value
from report.model import ServiceReport


def _cell(kind: Kind, value: Value) -> str:
    # Plain decimals with a point, whatever the locale: spreadsheets and scripts read them alike.
    if value is None:
        return ""
    if kind is Kind.SHARE or kind is Kind.HOURS:
        return f"{float(value):.4f}"
    return str(value)


def report_csv(report: ServiceReport) -> str:
    """The CSV text of the report, columns in the order of report.columns.COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(column.name for column in COLUMNS)
    for figures in report.rows:
        writer.writerow(_cell(column.kind, column.value(figures)) for column in COLUMNS)
    return out.getvalue()
