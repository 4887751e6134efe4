"""The SVG diagram of the workflow, drawn from the declarations (no hand-drawn picture to fall behind).

Layout: statuses are ranked by the longest path from ``draft`` over forward edges (an edge is forward
when its target comes later in ``Status``; the others, such as answering a question or resuming after a
hold, are drawn as curves back). Each rank is a row; edges are coloured by who acts.
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from hrcoop.assistance.models import ACTOR_LABELS, Status
from hrcoop.assistance.workflow import TRANSITIONS

NODE_W, NODE_H, ROW_H, GAP = 190, 36, 78, 36
COLOURS = {"state": "#1f6fb2", "secretariat": "#555555", "board": "#c0561b"}


def _edges() -> list[tuple[str, str, str, str]]:
    """(source, target, step name, actor) for every arrow of the workflow."""
    return [
        (source, target, step.name, step.actor)
        for step in TRANSITIONS.values()
        for source in step.sources
        for target in step.targets
    ]


def _ranks(edges: list[tuple[str, str, str, str]]) -> dict[str, int]:
    order = {status: index for index, status in enumerate(Status.values)}
    rank = dict.fromkeys(Status.values, 0)
    for _pass in range(len(order)):  # longest path over the forward edges (a DAG by construction)
        for source, target, _name, _actor in edges:
            if order[target] > order[source] and rank[target] < rank[source] + 1:
                rank[target] = rank[source] + 1
    return rank


def _fit(label: str) -> str:
    """Squeeze a status name that would overflow its box (some languages' names are long)."""
    room = NODE_W - 14
    return f' textLength="{room}" lengthAdjust="spacingAndGlyphs"' if len(label) * 6.2 > room else ""


def workflow_svg() -> str:
    edges = _edges()
    rank = _ranks(edges)
    # Statuses reached from many places (withdrawn, on hold) stand in a column of their own on the right.
    side = [t for step in TRANSITIONS.values() if len(step.sources) > 3 for t in step.targets]
    side = [s for s in Status.values if s in side]
    rows: dict[int, list[str]] = {}
    for status in Status.values:
        if status not in side:
            rows.setdefault(rank[status], []).append(status)
    widest = max(len(r) for r in rows.values())
    main_width = widest * (NODE_W + GAP) + 2 * GAP
    width = main_width + NODE_W + 3 * GAP + 220
    height = (max(rank.values()) + 1) * ROW_H + 60 + 30 * len(COLOURS)
    centre: dict[str, tuple[float, float]] = {}
    for number, statuses in rows.items():
        row_width = len(statuses) * NODE_W + (len(statuses) - 1) * GAP
        left = (main_width - row_width) / 2
        for index, status in enumerate(statuses):
            centre[status] = (left + index * (NODE_W + GAP) + NODE_W / 2, 30 + number * ROW_H + NODE_H / 2)
    taken: set[float] = set()
    for status in side:
        sources = [centre[a][1] for a, b, _n, _a in edges if b == status and a in centre]
        y = 30 + round((sum(sources) / len(sources) - 30) / ROW_H) * ROW_H if sources else 30 + NODE_H / 2
        while y in taken:
            y += ROW_H
        taken.add(y)
        centre[status] = (main_width + GAP + NODE_W / 2, y)
    label_count: dict[str, int] = {}
    for _source, _target, name, _actor in edges:
        label_count[name] = label_count.get(name, 0) + 1

    title = _("How a request for assistance moves from draft to closed")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="workflow-title" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="workflow-title">{escape(title)}</title>',
        "<defs>",
    ]
    for actor, colour in COLOURS.items():
        parts.append(
            f'<marker id="arrow-{actor}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    fanned: Counter[str] = Counter()
    for source, target, name, actor in edges:
        (x1, y1), (x2, y2) = centre[source], centre[target]
        colour = COLOURS[actor]
        step = TRANSITIONS[name]
        tooltip = escape(
            f"{step.label}: {Status(source).label} → {Status(target).label} ({step.actor_label})"
        )
        if rank[target] > rank[source]:
            path = f"M{x1:.0f},{y1 + NODE_H / 2:.0f} L{x2:.0f},{y2 - NODE_H / 2:.0f}"
            # Edges fanning out of one status carry their labels at alternating heights.
            along = 0.38 + 0.3 * (fanned[source] % 2)
            fanned[source] += 1
            label_at = (x1 + (x2 - x1) * along, y1 + NODE_H / 2 + (y2 - y1 - NODE_H) * along + 4)
        else:
            bend = NODE_W / 2 + 40 + 10 * (rank[source] - rank[target])
            way = 1 if x1 >= main_width / 2 else -1
            sx, tx = x1 + way * NODE_W / 2, x2 + way * NODE_W / 2
            path = (
                f"M{sx:.0f},{y1:.0f} C{sx + way * bend:.0f},{y1:.0f} "
                f"{tx + way * bend:.0f},{y2:.0f} {tx:.0f},{y2:.0f}"
            )
            label_at = ((sx + tx) / 2 + way * bend * 0.75, (y1 + y2) / 2 + 14)
        dashed = ' stroke-dasharray="5,4"' if rank[target] <= rank[source] else ""
        parts.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.4"{dashed} '
            f'marker-end="url(#arrow-{actor})" data-step="{name}"><title>{tooltip}</title></path>'
        )
        if label_count[name] <= 2:
            # A label reads away from the edge it names, so that the labels of edges fanning out of one
            # status do not run into each other; a white halo keeps it legible over crossing lines.
            anchor = "end" if x2 < x1 - 1 else "start"
            shift = -4 if anchor == "end" else 4
            parts.append(
                f'<text x="{label_at[0] + shift:.0f}" y="{label_at[1]:.0f}" fill="{colour}" font-size="11" '
                f'text-anchor="{anchor}" stroke="#fff" stroke-width="3" paint-order="stroke">'
                f"{escape(str(step.label))}</text>"
            )
    for status, (x, y) in centre.items():
        parts.append(
            f'<g data-status="{status}"><rect x="{x - NODE_W / 2:.0f}" y="{y - NODE_H / 2:.0f}" '
            f'width="{NODE_W}" height="{NODE_H}" rx="8" fill="#f4f7fb" stroke="#22364a"/>'
            f'<text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle"{_fit(str(Status(status).label))}>'
            f"{escape(str(Status(status).label))}</text></g>"
        )
    legend_y = height - 30 * len(COLOURS)
    for index, (actor, colour) in enumerate(COLOURS.items()):
        y = legend_y + index * 24
        parts.append(
            f'<line x1="20" y1="{y}" x2="60" y2="{y}" stroke="{colour}" stroke-width="2" '
            f'marker-end="url(#arrow-{actor})"/>'
            f'<text x="70" y="{y + 4}">{escape(str(ACTOR_LABELS[actor]))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
