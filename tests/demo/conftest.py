"""The demo tests load the demo through its service, as ``hrcoop init --demo`` does."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _demo_environment(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Sign-ins go to a folder of the test's own; passwords hash fast (PBKDF2 costs a second each)."""
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
