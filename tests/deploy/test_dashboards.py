"""Prometheus and Grafana of the compose stack: the provisioning files, the alert rules, their services."""

import re
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

from config.settings import REPO_ROOT
from tests.deploy.compose import ENV_EXAMPLE, raw, resolved, run_compose
from tests.deploy.observability import (
    ALERT_RULES,
    DASHBOARD_PROVIDER,
    DATASOURCES,
    PROMETHEUS_CONFIG,
    dashboards,
    metric_names,
    panels,
    queries,
    rules,
    yaml_file,
)

OPERATIONS = REPO_ROOT / "docs" / "operations.md"
SEVERITIES = {"warning", "critical"}


def _datasource_uids() -> set[str]:
    return {source["uid"] for source in yaml_file(DATASOURCES)["datasources"]}


def _mounted(service: str) -> dict[str, Path]:
    """Where each config of a service is mounted in its container -> the committed file it comes from."""
    stack = raw()
    return {
        config["target"]: REPO_ROOT / stack["configs"][config["source"]]["file"]
        for config in stack["services"][service]["configs"]
    }


def _scrape_jobs() -> dict[str, dict[str, Any]]:
    return {job["job_name"]: job for job in yaml_file(PROMETHEUS_CONFIG)["scrape_configs"]}


def test_every_panel_and_query_reads_a_provisioned_datasource() -> None:
    known = _datasource_uids()
    for dashboard in dashboards().values():
        for panel in panels(dashboard):
            sources = [panel["datasource"], *(target["datasource"] for target in panel["targets"])]
            unknown = [source["uid"] for source in sources if source["uid"] not in known]
            assert not unknown, f"{dashboard['uid']} / {panel['title']}: datasource {unknown} is not provisioned"


def test_dashboards_have_unique_uids_and_each_panel_a_unique_id() -> None:
    uids = Counter(dashboard["uid"] for dashboard in dashboards().values())
    assert uids and max(uids.values()) == 1, uids
    for dashboard in dashboards().values():
        ids = Counter(panel["id"] for panel in dashboard["panels"])
        ids.update(inner["id"] for row in dashboard["panels"] for inner in row.get("panels", []))
        assert max(ids.values()) == 1, f"{dashboard['uid']}: panel ids used twice: {ids}"


def test_every_dashboard_file_is_mounted_where_the_provider_reads_it() -> None:
    [provider] = yaml_file(DASHBOARD_PROVIDER)["providers"]
    folder = PurePosixPath(provider["options"]["path"])
    mounted = _mounted("grafana")
    in_folder = {source for target, source in mounted.items() if PurePosixPath(target).parent == folder}

    assert in_folder == set(dashboards())
    assert mounted[f"/etc/grafana/provisioning/datasources/{DATASOURCES.name}"] == DATASOURCES
    assert mounted[f"/etc/grafana/provisioning/dashboards/{DASHBOARD_PROVIDER.name}"] == DASHBOARD_PROVIDER


def test_every_query_parses_and_reads_a_metric() -> None:
    found = queries()

    assert found
    for query in found:
        assert metric_names(query.expr), f"{query.where}: {query.expr} reads no metric"


def test_metric_names_are_taken_from_every_part_of_an_expression_and_nothing_else() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{route!="/x"}[$__rate_interval])))'
        ' / on (route) group_left max_over_time(b[1h:5m]) or -(c offset 5m) > bool 2 and {__name__="d"}'
    )

    assert metric_names(expr) == {"a_bucket", "b", "c", "d"}


def test_alert_rules_have_a_unique_name_a_severity_and_a_summary() -> None:
    found = rules()
    names = Counter(rule["alert"] for rule in found)

    assert found and max(names.values()) == 1, names
    for rule in found:
        assert rule["labels"]["severity"] in SEVERITIES, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s")), rule["alert"]


def test_the_operations_guide_explains_exactly_the_alerts_there_are() -> None:
    explained = set(re.findall(r"`(Iin[A-Za-z]+)`", OPERATIONS.read_text(encoding="utf-8")))

    assert explained == {rule["alert"] for rule in rules()}


def test_the_operations_guide_explains_every_panel() -> None:
    guide = OPERATIONS.read_text(encoding="utf-8")
    for dashboard in dashboards().values():
        for panel in panels(dashboard):
            assert f"**{panel['title']}**" in guide, f"docs/operations.md does not explain {panel['title']!r}"


def test_prometheus_loads_the_mounted_rules_and_scrapes_every_worker_replica_and_the_api() -> None:
    settings = resolved()["services"]["worker"]["environment"]
    jobs = _scrape_jobs()
    config = yaml_file(PROMETHEUS_CONFIG)
    mounted = _mounted("prometheus")

    assert mounted[config["rule_files"][0]] == ALERT_RULES
    assert set(jobs) == {"worker", "api"}
    # DNS discovery on the service name finds each replica of `--scale worker=N`, on the ports the settings give.
    [worker] = jobs["worker"]["dns_sd_configs"]
    [api] = jobs["api"]["dns_sd_configs"]
    assert (worker["names"], worker["type"], worker["port"]) == (["worker"], "A", int(settings["WORKER_METRICS_PORT"]))
    assert (api["names"], api["type"], api["port"]) == (["api"], "A", int(settings["API_METRICS_PORT"]))


def test_prometheus_and_the_metrics_ports_are_published_nowhere() -> None:
    services = resolved()["services"]
    published = {int(port["target"]) for service in services.values() for port in service.get("ports", [])}

    assert "ports" not in services["prometheus"]
    assert {int(services["api"]["environment"]["API_METRICS_PORT"]), 9090} & published == set()


def test_grafana_requires_a_sign_in_with_the_password_from_the_settings() -> None:
    environment = raw()["services"]["grafana"]["environment"]

    assert environment["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD:?")
    assert environment["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
    assert environment["GF_USERS_ALLOW_SIGN_UP"] == "false"


def test_docker_compose_refuses_to_start_without_a_grafana_password(tmp_path: Path) -> None:
    settings = re.sub(
        r"^GRAFANA_ADMIN_PASSWORD=.*$", "GRAFANA_ADMIN_PASSWORD=", ENV_EXAMPLE.read_text("utf-8"), flags=re.M
    )
    without_password = tmp_path / "without-password.env"
    without_password.write_text(settings, encoding="utf-8")

    result = run_compose("config", "--quiet", env_file=without_password)

    assert result.returncode != 0
    assert "GRAFANA_ADMIN_PASSWORD" in result.stderr


def test_monitoring_keeps_its_data_on_named_volumes() -> None:
    stack = raw()
    for name in ("prometheus", "grafana"):
        volume = stack["services"][name]["volumes"][0].split(":")[0]
        assert volume in stack["volumes"], name
