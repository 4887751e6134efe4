"""The SVG diagram of the workflow, drawn from the declarations (no hand-drawn picture to fall behind).

Layout: statuses are ranked by the longest path from ``draft`` over forward edges (an edge is forward
when its target comes later in ``Status``; the others, such as answering a question, are drawn as curves
back). Each rank is a row; edges are coloured by who acts.

A step that leaves from, or returns to, many statuses (withdraw: any status before funding; put on hold
and resume) is a side exit: its status stands in a column of its own on the right, and the step is drawn
once, as one arrow between that status and a bracket spanning the rows it concerns, rather than as an
arrow per status (eight for withdraw alone, which crossed every other arrow of the page).
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from hrcoop.assistance.models import ACTOR_LABELS, Status
from hrcoop.assistance.workflow import TRANSITIONS, WorkflowStep

NODE_W, NODE_H, ROW_H, GAP = 190, 36, 78, 36
SIDE_GAP = 150  # between the main column and the side exits, room for the exits' labels
COLOURS = {"state": "#1f6fb2", "secretariat": "#555555", "board": "#c0561b"}


# A step with more sources or targets than this is drawn once, as a side exit.
SIDE_EXIT_FROM = 3


def _side_exits() -> list[WorkflowStep]:
    return [
        step
        for step in TRANSITIONS.values()
        if len(step.sources) > SIDE_EXIT_FROM or len(step.targets) > SIDE_EXIT_FROM
    ]


def _edges() -> list[tuple[str, str, str, str]]:
    """(source, target, step name, actor) for every arrow of the workflow but the side exits."""
    exits = {step.name for step in _side_exits()}
    return [
        (source, target, step.name, step.actor)
        for step in TRANSITIONS.values()
        if step.name not in exits
        for source in step.sources
        for target in step.targets
    ]


def _all_edges() -> list[tuple[str, str, str, str]]:
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
    rank = _ranks(_all_edges())
    exits = _side_exits()
    # Statuses reached from many places (withdrawn, on hold) stand in a column of their own on the right.
    side = [t for step in exits if len(step.sources) > SIDE_EXIT_FROM for t in step.targets]
    side = [s for s in Status.values if s in side]
    rows: dict[int, list[str]] = {}
    for status in Status.values:
        if status not in side:
            rows.setdefault(rank[status], []).append(status)
    widest = max(len(r) for r in rows.values())
    main_width = widest * (NODE_W + GAP) + 2 * GAP
    width = main_width + SIDE_GAP + NODE_W + GAP
    height = (max(rank.values()) + 1) * ROW_H + 60 + 30 * len(COLOURS)
    centre: dict[str, tuple[float, float]] = {}
    for number, statuses in rows.items():
        row_width = len(statuses) * NODE_W + (len(statuses) - 1) * GAP
        left = (main_width - row_width) / 2
        for index, status in enumerate(statuses):
            centre[status] = (left + index * (NODE_W + GAP) + NODE_W / 2, 30 + number * ROW_H + NODE_H / 2)
    taken: set[float] = set()
    for status in side:
        # A side status that leads on (withdrawn -> closed) stands in the row of where it leads, so
        # that arrow is short and level; the others beside the middle of the statuses they come from.
        onward = [centre[b][1] for a, b, _n, _a in edges if a == status and b in centre]
        sources = [centre[a][1] for a, b, _n, _a in _all_edges() if b == status and a in centre]
        if onward:
            y = max(onward)
        elif sources:
            y = 30 + round((sum(sources) / len(sources) - 30) / ROW_H) * ROW_H + NODE_H / 2
        else:
            y = 30 + NODE_H / 2
        while y in taken:
            y -= ROW_H
        taken.add(y)
        centre[status] = (main_width + SIDE_GAP + NODE_W / 2, y)
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
    entering: Counter[str] = Counter()
    for source, target, name, actor in edges:
        (x1, y1), (x2, y2) = centre[source], centre[target]
        colour = COLOURS[actor]
        step = TRANSITIONS[name]
        tooltip = escape(
            f"{step.label}: {Status(source).label} → {Status(target).label} ({step.actor_label})"
        )
        if abs(y1 - y2) < 1 or (rank[target] > rank[source] + 1 and source not in side):
            # Level, or down past other rows: down the source's own column, then across into the
            # target's side, so the arrow crosses no box and no other arrow.
            way = 1 if x1 > x2 else -1
            end_y = y2 + 7 * (entering[target] % 3) * (-1 if entering[target] % 2 else 1)
            entering[target] += 1
            start = (
                f"M{x1 - way * NODE_W / 2:.0f},{end_y:.0f}"
                if abs(y1 - y2) < 1
                else (f"M{x1:.0f},{y1 + NODE_H / 2:.0f} V{end_y:.0f}")
            )
            path = f"{start} H{x2 + way * NODE_W / 2:.0f}"
            label_at = ((x1 + x2) / 2 + way * NODE_W / 4, end_y - 6)
        elif rank[target] > rank[source]:
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
        dashed = ' stroke-dasharray="5,4"' if rank[target] <= rank[source] and source not in side else ""
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
    parts.extend(_draw_side_exits(exits, centre, main_width))
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


def _draw_side_exits(
    exits: list[WorkflowStep], centre: dict[str, tuple[float, float]], main_width: float
) -> list[str]:
    """Each side exit once: a bracket beside the rows of the statuses it leaves from (or returns to),
    and one arrow between the bracket and its status in the side column."""
    parts = []
    for index, step in enumerate(exits):
        gathered = step.sources if len(step.sources) > SIDE_EXIT_FROM else step.targets
        single = step.targets[0] if gathered is step.sources else step.sources[0]
        rows = [centre[s][1] for s in gathered if s in centre and s != single]
        top, bottom = min(rows) - NODE_H / 2, max(rows) + NODE_H / 2
        x = main_width - GAP / 2 + index * 8
        colour = COLOURS[step.actor]
        dashed = "" if gathered is step.sources else ' stroke-dasharray="5,4"'
        names = ", ".join(str(Status(s).label) for s in gathered)
        tooltip = escape(f"{step.label}: {names} ({step.actor_label})")
        parts.append(
            f'<path d="M{x - 5:.0f},{top:.0f} h5 V{bottom:.0f} h-5" fill="none" stroke="{colour}" '
            f'stroke-width="1.4"{dashed}><title>{tooltip}</title></path>'
        )
        sx, sy = centre[single]
        left = sx - NODE_W / 2
        if gathered is step.sources:  # out of the bracket, down beside it if the status stands lower
            if sy > bottom:  # down beside the bracket, then into the top of the status
                above = sy - NODE_H / 2 - 16
                path = f"M{x:.0f},{bottom:.0f} V{above:.0f} H{sx:.0f} V{sy - NODE_H / 2:.0f}"
                label_y = above - 5
            else:
                path = f"M{x:.0f},{sy - 6:.0f} H{left:.0f}"
                label_y = sy - 11
        else:  # back from the status into the bracket
            path = f"M{left:.0f},{sy + 6:.0f} H{x:.0f}"
            label_y = sy + 20
        parts.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.4"{dashed} '
            f'marker-end="url(#arrow-{step.actor})" data-step="{step.name}"><title>{tooltip}</title></path>'
            f'<text x="{(x + left) / 2:.0f}" y="{label_y:.0f}" fill="{colour}" font-size="11" '
            f'text-anchor="middle">{escape(str(step.label))}</text>'
        )
    return parts
