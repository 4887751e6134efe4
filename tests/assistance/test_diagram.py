"""The process diagram stays legible in every language: no two step labels on top of each other."""

from __future__ import annotations

from itertools import combinations
from xml.etree import ElementTree

import pytest
from django.utils import translation

from hrcoop.assistance.diagram import workflow_svg

SVG = "{http://www.w3.org/2000/svg}"
CHAR_WIDTH = 5.6  # a generous average at the labels' 11 px


def _label_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    boxes = []
    for text in ElementTree.fromstring(svg).iter(f"{SVG}text"):
        if text.get("font-size") != "11":  # step labels; statuses sit in their boxes, the legend apart
            continue
        x, y, width = float(text.get("x", 0)), float(text.get("y", 0)), len(text.text or "") * CHAR_WIDTH
        left = x - width if text.get("text-anchor") == "end" else x
        boxes.append((text.text or "", left, left + width, y - 10, y))
    return boxes


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru"])
def test_no_two_step_labels_overlap(language: str) -> None:
    with translation.override(language):
        boxes = _label_boxes(workflow_svg())
    assert len(boxes) > 10
    overlapping = [
        (a[0], b[0])
        for a, b in combinations(boxes, 2)
        if a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]
    ]
    assert overlapping == []
