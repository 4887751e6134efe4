"""The demo tests load the demo through its service, as ``hrcoop init --demo`` does."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _demo_environment(settings: pytest.FixtureRequest, tmp_path: Path, fast_passwords: None) -> None:
    """Sign-ins go to a folder of the test's own; passwords hash fast (``tests.conftest.fast_passwords``)."""
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
