"""The dashboards and alert rules under deploy/, read as Grafana and Prometheus read them.

`queries()` lists every PromQL expression with where it sits (a dashboard panel or an alert rule);
`metric_names()` parses one with a real PromQL parser and names the metrics it selects.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import promql_parser
import yaml

from config.settings import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
ALERT_RULES = DEPLOY / "prometheus" / "alerts.yml"
DATASOURCES = DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDER = DEPLOY / "grafana" / "provisioning" / "dashboards" / "iin.yml"
DASHBOARDS = DEPLOY / "grafana" / "dashboards"
# Grafana fills these in before it sends a query; any duration parses the same.
GRAFANA_INTERVALS = re.compile(r"\$__(rate_interval|interval|range)\b")
# Series Prometheus makes itself for every target, exported by no process.
SYNTHETIC = {"up"}


@dataclass(frozen=True)
class Query:
    """One PromQL expression and where it is: `dashboard uid / panel title` or `alert rule NAME`."""

    where: str
    expr: str


def yaml_file(path: Path) -> Any:
    """A YAML file as data."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dashboards() -> dict[Path, dict[str, Any]]:
    """Every dashboard file, as JSON."""
    return {path: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DASHBOARDS.glob("*.json"))}


def panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel of a dashboard, those inside collapsed rows too; rows themselves are not panels."""
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def rules() -> list[dict[str, Any]]:
    """Every rule of the alert rules file."""
    return [rule for group in yaml_file(ALERT_RULES)["groups"] for rule in group["rules"]]


def queries() -> list[Query]:
    """Every expression of every dashboard panel and alert rule."""
    found = [
        Query(f"{dashboard['uid']} / {panel['title']}", target["expr"])
        for dashboard in dashboards().values()
        for panel in panels(dashboard)
        for target in panel.get("targets", [])
    ]
    found += [Query(f"alert rule {rule['alert']}", rule["expr"]) for rule in rules()]
    return found


def metric_names(expr: str) -> set[str]:
    """The metric names the expression selects (functions, labels, keywords and durations are not names)."""
    return set(_names(promql_parser.parse(GRAFANA_INTERVALS.sub("5m", expr))))


def _names(node: Any) -> Iterator[str]:
    if isinstance(node, promql_parser.VectorSelector):
        if node.name:
            yield node.name
        # {__name__="x"} selects by name too.
        yield from (m.value for m in node.matchers.matchers if m.name == "__name__")
    elif isinstance(node, promql_parser.MatrixSelector):
        yield from _names(node.vector_selector)
    elif isinstance(node, promql_parser.BinaryExpr):
        yield from _names(node.lhs)
        yield from _names(node.rhs)
    elif isinstance(node, promql_parser.AggregateExpr):
        yield from _names(node.expr)
        if node.param is not None:
            yield from _names(node.param)
    elif isinstance(node, promql_parser.Call):
        for argument in node.args:
            yield from _names(argument)
    elif isinstance(node, (promql_parser.ParenExpr, promql_parser.UnaryExpr, promql_parser.SubqueryExpr)):
        yield from _names(node.expr)
    elif not isinstance(node, (promql_parser.NumberLiteral, promql_parser.StringLiteral)):
        raise TypeError(f"a PromQL node this walk does not know: {type(node).__name__}")


def exported_names(exposition: str) -> set[str]:
    """The names of the samples in a Prometheus text exposition (`x_bucket`, `x_count`, `x_total`...)."""
    return {
        match[1]
        for line in exposition.splitlines()
        if (match := re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", line)) and not line.startswith("#")
    }
