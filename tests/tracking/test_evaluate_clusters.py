"""``hrcoop tracking evaluate-clusters`` on Slovenia's three thematic lists: suggested clusters against
OHCHR's own headings, beside the grouping by first issue or theme label, measured in the same run."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli, shared_data


def test_suggested_clusters_beat_the_baseline_on_every_list(
    reference_data: None, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = shared_data("upr_docs_slovenia")
    code, out, err = run_cli(capsys, "tracking", "evaluate-clusters", str(directory))
    assert code == 0, err
    *per_list_lines, last = out.strip().splitlines()
    summary = json.loads(last)
    assert set(summary) == {"lists", "adjusted_rand", "v_measure", "baseline"}
    assert summary["lists"] == 3
    per_list = [json.loads(line) for line in per_list_lines]
    assert [figures["recommendations"] for figures in per_list] == [162, 215, 254]
    assert [figures["headings"] for figures in per_list] == [32, 42, 43]
    for figures in per_list:
        assert figures["adjusted_rand"] > figures["baseline"]["adjusted_rand"], figures
        assert figures["v_measure"] > figures["baseline"]["v_measure"], figures
    # The lists write each recommendation's heading as its first theme: grouping by the written order
    # would be the answer itself, which is why the baseline reads the registry's (unordered) labels.
    assert all(figures["first_written_theme_is_heading"] == 1.0 for figures in per_list)
