"""References to other texts, normalised so that the same text cited two ways is one node of the graph.

Instruments cited by name (the Charter, the Universal Declaration, the Vienna Declaration, ...) are keyed
``instrument <canonical name>``; a name inside quotation marks is the title of a numbered resolution and
is not counted again.

Keys: ``GA res 70/1``, ``HRC res 6/17``, ``HRC dec 17/119``, ``CHR res 2001/2``, ``SubCom res 2000/22``,
``ECOSOC res 1503``... and documents by their symbol (``A/HRC/47/47``). A resolution symbol such as
``A/HRC/RES/14/1`` or ``A/RES/70/1`` is read as the resolution it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hrcoop.mandates.parsing.text import SYMBOL_RE

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTH_PATTERN = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_PATTERN = rf"\d{{1,2}}\s+(?:{MONTH_PATTERN})\s+\d{{4}}"
DATE_RE = re.compile(DATE_PATTERN)

BODY_NAMES: list[tuple[str, str]] = [
    ("Human Rights Council", "HRC"),
    ("Commission on Human Rights", "CHR"),
    ("Subcommission", "SubCom"),
    ("Sub-Commission", "SubCom"),
    ("Economic and Social Council", "ECOSOC"),
    ("Security Council", "SC"),
    ("General Assembly", "GA"),
    ("Assembly", "GA"),
    ("Council", "HRC"),
]
BODY_TITLES = {
    "GA": "General Assembly",
    "HRC": "Human Rights Council",
    "CHR": "Commission on Human Rights",
    "SubCom": "Subcommission on the Promotion and Protection of Human Rights",
    "ECOSOC": "Economic and Social Council",
    "SC": "Security Council",
}
_BODY_ALTERNATION = "|".join(re.escape(name) for name, _ in BODY_NAMES)
BODY_RE = re.compile(rf"\b({_BODY_ALTERNATION})\b")
NUMBER_PATTERN = r"(?<![/\w-])((?:S-)?\d{1,4}/\d{1,3}[A-Z]?)(?![/\w])"
TRIGGER_RE = re.compile(
    rf"(?:\b({_BODY_ALTERNATION})\s+(?:{NUMBER_PATTERN}\s+)?)?\b(resolutions?|decisions?)\b", re.IGNORECASE
)
LIST_ITEM_RE = re.compile(rf"{NUMBER_PATTERN}(?:\s*(?:,\s*)?(?:of|adopted on)\s+({DATE_PATTERN}))?")
STOP_RE = re.compile(r";|\.\s|\.$|\b(?:resolutions?|decisions?)\b", re.IGNORECASE)
# Instruments cited by name: group name -> canonical name; the pattern allows the usual short forms.
INSTRUMENTS: dict[str, tuple[str, str]] = {
    "charter": ("Charter of the United Nations", r"Charter of the United Nations"),
    "udhr": ("Universal Declaration of Human Rights", r"Universal Declaration of Human Rights"),
    "vdpa": ("Vienna Declaration and Programme of Action", r"Vienna Declaration and Programme of Action"),
    "millennium": ("United Nations Millennium Declaration", r"(?:United Nations )?Millennium Declaration"),
    "iccpr": (
        "International Covenant on Civil and Political Rights",
        r"International Covenant on Civil and Political Rights",
    ),
    "icescr": (
        "International Covenant on Economic, Social and Cultural Rights",
        r"International Covenant on Economic, Social and Cultural Rights",
    ),
    "durban": ("Durban Declaration and Programme of Action", r"Durban Declaration and Programme of Action"),
    "agenda2030": ("2030 Agenda for Sustainable Development", r"2030 Agenda for Sustainable Development"),
    "addis": ("Addis Ababa Action Agenda", r"Addis Ababa Action Agenda"),
    "rtd": ("Declaration on the Right to Development", r"Declaration on the Right to Development"),
    "crc": ("Convention on the Rights of the Child", r"Convention on the Rights of the Child"),
    "cedaw": (
        "Convention on the Elimination of All Forms of Discrimination against Women",
        r"Convention on the Elimination of All Forms of Discrimination against Women",
    ),
    "buenosaires": ("Buenos Aires Plan of Action", r"Buenos Aires Plan of Action"),
    "idp": ("Guiding Principles on Internal Displacement", r"Guiding Principles on Internal Displacement"),
    "paris": (
        "Principles relating to the Status of National Institutions",
        r"Paris Principles|Principles relating to the status of national institutions",
    ),
}
# every instrument name holds one of these words: texts without any skip the long pattern (it is slow)
INSTRUMENT_WORDS = (
    "Charter",
    "Declaration",
    "Covenant",
    "Agenda",
    "Convention",
    "Plan of Action",
    "Principles",
)
INSTRUMENT_NAMES = {group: name for group, (name, _) in INSTRUMENTS.items()}
INSTRUMENT_RE = re.compile(
    "|".join(rf"(?P<{group}>\b(?:{pattern}))" for group, (_, pattern) in INSTRUMENTS.items())
)
QUOTED_RE = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
RESOLUTION_SYMBOL_RE = re.compile(r"^(A/HRC|A|E/CN\.4|S)/(RES|DEC)/(\d+/\d+[A-Z]?)$")
SYMBOL_BODY = {"A/HRC": "HRC", "A": "GA", "E/CN.4": "CHR", "S": "SC"}


@dataclass(frozen=True, slots=True)
class Citation:
    """One reference: ``key`` is what the graph links on; ``text`` is the words the reference uses."""

    key: str
    kind: str  # "resolution", "decision", "document" or "instrument"
    body: str  # "GA", "HRC", ... or "" for documents
    number: str
    text: str
    start: int
    end: int
    date: date | None = None

    @property
    def label(self) -> str:
        if self.kind in ("document", "instrument"):
            return self.number
        title = BODY_TITLES.get(self.body, self.body)
        when = f" of {self.date.day} {self.date.strftime('%B')} {self.date.year}" if self.date else ""
        return f"{title} {self.kind} {self.number}{when}"


def parse_date(text: str) -> date | None:
    match = DATE_RE.search(text)
    if not match:
        return None
    day, month, year = match.group(0).split()
    try:
        return date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        return None


def _body_code(name: str | None) -> str | None:
    if not name:
        return None
    for candidate, code in BODY_NAMES:
        if candidate.lower() == name.lower():
            return code
    return None


def _context_body(text: str, start: int, end: int, own_body: str, number: str) -> str:
    """The body of a resolution cited without naming it ("in its resolution 75/180, the General Assembly")."""
    before = text[max(0, start - 45) : start]
    after = text[end : end + 120]
    names = BODY_RE.findall(before)
    if names and not re.search(r"[;.]", before[before.rfind(names[-1]) :]):
        return _body_code(names[-1]) or own_body
    following = re.match(r"^[^;.]*?\b(?:by\s+)?the\s+(" + _BODY_ALTERNATION + r")\b", after)
    if following and (after.startswith(",") or after.lstrip().startswith(("adopted", "of", ","))):
        return _body_code(following.group(1)) or own_body
    if re.match(r"\d{4}/", number):
        return "SubCom" if re.search(r"Sub-?[Cc]ommission", after) else "CHR"
    return own_body


def extract_citations(text: str, *, own_body: str = "HRC") -> list[Citation]:
    """Every resolution, decision, document and named instrument cited in ``text``, in order of appearance."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for symbol in SYMBOL_RE.finditer(text) if "/" in text else ():
        value = symbol.group(0).rstrip(".")
        taken.append((symbol.start(), symbol.end()))
        res = RESOLUTION_SYMBOL_RE.match(value)
        if res:
            kind = "resolution" if res.group(2) == "RES" else "decision"
            body = SYMBOL_BODY[res.group(1)]
            found.append(
                Citation(
                    f"{body} {kind[:3]} {res.group(3)}",
                    kind,
                    body,
                    res.group(3),
                    value,
                    symbol.start(),
                    symbol.end(),
                )
            )
        else:
            found.append(Citation(value, "document", "", value, value, symbol.start(), symbol.end()))
    lowered = text.lower()
    triggers = TRIGGER_RE.finditer(text) if "resolution" in lowered or "decision" in lowered else ()
    for trigger in triggers:
        kind = "resolution" if trigger.group(3).lower().startswith("resolution") else "decision"
        named_body = _body_code(trigger.group(1))
        if trigger.group(2):  # "Human Rights Council 46/14 resolution"
            tail = text[trigger.end() : trigger.end() + 30]
            when = parse_date(tail) if tail.startswith(" of ") else None
            items = [(trigger.group(2), trigger.start(2), trigger.end(2), when)]
        else:
            items = []
            stop = STOP_RE.search(text, trigger.end())
            window_end = stop.start() if stop else len(text)
            plural = trigger.group(3).lower().endswith("s")
            for item in LIST_ITEM_RE.finditer(text, trigger.end(), window_end):
                if not items and text[trigger.end() : item.start()].strip(" ,"):
                    break  # the number must follow the word "resolution" directly
                # the first reference is linked from "resolution", the others of a list from their number
                start = item.start(1) if items else trigger.start()
                items.append((item.group(1), start, item.end(), parse_date(item.group(2) or "")))
                if not plural:
                    break
        for number, start, end, when in items:
            if any(s <= start < e for s, e in taken):
                continue
            body = named_body or _context_body(text, trigger.start(), end, own_body, number)
            found.append(
                Citation(
                    f"{body} {kind[:3]} {number}",
                    kind,
                    body,
                    number,
                    text[trigger.start() : end],
                    start,
                    end,
                    when,
                )
            )
            taken.append((start, end))
    found.extend(_instruments(text))
    found.sort(key=lambda c: c.start)
    return found


def _instruments(text: str) -> list[Citation]:
    """Named instruments, except where the name is only the quoted title of a numbered resolution."""
    if not any(word in text for word in INSTRUMENT_WORDS):
        return []
    quoted = [(m.start(), m.end()) for m in QUOTED_RE.finditer(text)]
    out = []
    for match in INSTRUMENT_RE.finditer(text):
        if any(s <= match.start() < e for s, e in quoted):
            continue
        name = INSTRUMENT_NAMES[match.lastgroup or ""]
        out.append(
            Citation(f"instrument {name}", "instrument", "", name, match.group(0), match.start(), match.end())
        )
    return out
