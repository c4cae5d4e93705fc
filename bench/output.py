"""Where a benchmark's figures go: bench/results/<kind>-<time>.json, one file per run, never overwritten."""

import json
from pathlib import Path

import psutil

from clock import SYSTEM_CLOCK
from config.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results"


def machine() -> dict[str, object]:
    """What the figures were measured on: cores and memory."""
    return {"cpus": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)}


def results_file(kind: str) -> Path:
    """A new file for this run's figures of `kind`, named by the time the run writes it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / f"{kind}-{SYSTEM_CLOCK.now():%Y%m%dT%H%M%S}.json"


def write_figures(path: Path, figures: object) -> Path:
    """Write the figures as indented JSON (instants and other values as their text)."""
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def save_figures(kind: str, figures: object) -> Path:
    """Write a finished run's figures to a file of their own and say where."""
    return write_figures(results_file(kind), figures)
