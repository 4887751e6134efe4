"""Where the texts these tests read live: the seed resolution and the Council session report A/HRC/14/37."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, shared_data


@pytest.fixture(scope="session")
def seed_text() -> str:
    paths = sorted((SHARED_DATA.parent / "seed").glob("*.txt"))
    if not paths:
        pytest.skip(f"the seed resolution is not present in {SHARED_DATA.parent / 'seed'}")
    return paths[0].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report_path() -> Path:
    return shared_data("upr_docs_slovenia", "cycle1", "g1217781.txt")


@pytest.fixture(scope="session")
def report_text(report_path: Path) -> str:
    return report_path.read_text(encoding="utf-8")
