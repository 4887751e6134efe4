from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hrcoop.core.errors import InvalidInput
from hrcoop.reference.models import SdgGoal, SdgIndicator, SdgTarget
from hrcoop.reference.services import load_sdg_texts
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def test_sdg_texts_load_in_the_six_languages(reference_data: None) -> None:
    counts = load_sdg_texts(shared_data("sdg_open_sdg"))
    assert counts == {"goals": 17, "targets": 169, "indicators": 252}
    target = SdgTarget.objects.get(code="16.2")
    assert set(target.titles) == {"en", "fr", "es", "ar", "ru", "zh-hans"}
    assert "children" in target.titles["en"]
    assert SdgGoal.objects.get(number=5).short_titles["en"] == "Gender equality"
    assert SdgIndicator.objects.get(code="16.2.1").target_id == "16.2"
    assert load_sdg_texts(shared_data("sdg_open_sdg")) == counts  # loading again changes nothing


def test_an_unknown_target_names_the_file_and_changes_nothing(reference_data: None, tmp_path: Path) -> None:
    source = shared_data("sdg_open_sdg")
    copy = tmp_path / "sdg"
    shutil.copytree(source, copy)
    targets = copy / "fr" / "global_targets.yml"
    targets.write_text(targets.read_text(encoding="utf-8") + "18-1-title: Cible inconnue\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown target '18-1-title'") as raised:
        load_sdg_texts(copy)
    assert raised.value.where.endswith("fr/global_targets.yml")
    assert SdgTarget.objects.get(code="16.2").titles == {}
