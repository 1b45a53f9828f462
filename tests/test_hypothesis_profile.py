"""The hypothesis profile every run uses: deterministic, no deadline, no slow-machine health checks."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).parent


@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci", reason="another profile chosen on purpose")
def test_default_profile_is_deterministic() -> None:
    current = settings.default
    assert current.derandomize is True
    assert current.deadline is None
    assert {HealthCheck.too_slow, HealthCheck.data_too_large} <= set(current.suppress_health_check)


def _settings_keywords(tree: ast.AST) -> set[str]:
    """Return the keywords passed to any @settings(...) decorator in a module."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "settings":
            found |= {k.arg for k in node.keywords if k.arg}
    return found


def test_no_hypothesis_test_overrides_the_profile() -> None:
    # Per-test settings may change how many examples run, not what makes a run deterministic.
    profile_keys = {"derandomize", "database", "suppress_health_check", "deadline", "phases"}
    offenders = {}
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        keys = _settings_keywords(ast.parse(path.read_text(encoding="utf-8"))) & profile_keys
        if keys:
            offenders[path.name] = sorted(keys)
    assert offenders == {}
