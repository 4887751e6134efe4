"""Who an operative paragraph speaks to, and which paragraphs give a mandate with a deadline.

An addressee is the noun phrase after a directive verb ("Requests *the Office of the High Commissioner* to
...", "Calls upon *States, specialized agencies and intergovernmental organizations* to ..."), mapped onto
a short list of actors. Verbs that only state the Council's view ("Reaffirms", "Takes note") address
nobody. A mandate is a paragraph that *requests* an action of a named addressee or *decides* an action of
the Council (including the renewal of a special procedure); its deadline is read from "at its fiftieth
session" (of the Council, or of the General Assembly when the report goes there) or "annually".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hrcoop.mandates.parsing.ordinals import ORDINAL_PATTERN, number_value, ordinal_value


def gettext_noop(text: str) -> str:
    """Marks a label for translation (``makemessages`` finds it by this name) without importing Django."""
    return text


# (code, English label, pattern) - the first pattern that matches a span wins that span.
ACTORS: list[tuple[str, str, str]] = [
    (
        "OHCHR",
        gettext_noop("Office of the High Commissioner for Human Rights"),
        r"Office of the (?:United Nations )?High Commissioner(?: for Human Rights)?",
    ),
    (
        "HC",
        gettext_noop("High Commissioner for Human Rights"),
        r"(?:United Nations )?High Commissioner(?: for Human Rights)?",
    ),
    ("SG", gettext_noop("Secretary-General"), r"Secretary-General"),
    ("PRESIDENT", gettext_noop("President of the Council"), r"President of the (?:Human Rights )?Council"),
    ("ADVISORY_COMMITTEE", gettext_noop("Advisory Committee"), r"Advisory Committee"),
    (
        "SPECIAL_PROCEDURES",
        gettext_noop("Special procedures"),
        r"(?:Special Rapporteurs?|[Ii]ndependent [Ee]xperts?"
        r"|Working Group on [A-Z][\w\s]{3,60}?(?=\s+to\b|,|$)"
        r"|special procedures?(?: mandate holders)?|mandate holders?|fact-finding mission)",
    ),
    ("TREATY_BODIES", gettext_noop("Treaty bodies"), r"treaty bodies"),
    (
        "MECHANISMS",
        gettext_noop("Human rights mechanisms"),
        r"(?:relevant )?(?:United Nations )?human rights mechanisms(?: and procedures)?",
    ),
    ("NHRIS", gettext_noop("National human rights institutions"), r"national human rights institutions"),
    (
        "NGOS",
        gettext_noop("Non-governmental organizations and civil society"),
        r"non-governmental organizations|civil society",
    ),
    (
        "IGOS",
        gettext_noop("Intergovernmental and regional organizations"),
        r"(?:intergovernmental|regional) organizations",
    ),
    (
        "AGENCIES",
        gettext_noop("Specialized agencies"),
        r"specialized agencies|funds and programmes|relevant (?:international )?agencies",
    ),
    (
        "UN_SYSTEM",
        gettext_noop("United Nations system"),
        r"United Nations system|relevant United Nations bodies",
    ),
    (
        "INTL_COMMUNITY",
        gettext_noop("International community"),
        r"international community|all actors on the international scene",
    ),
    ("DONORS", gettext_noop("Donors"), r"donors?(?: countries)?"),
    (
        "STAKEHOLDERS",
        gettext_noop("Other stakeholders"),
        r"(?:other )?(?:relevant |interested )?stakeholders",
    ),
    (
        "STATES",
        gettext_noop("States"),
        r"(?:all )?(?:Member )?States(?: Members of the United Nations)?|(?:all )?Governments"
        r"|(?:the )?State concerned"
        r"|occupying Power|[A-Z][a-z]+ (?:and|to) its Government|the Government of [A-Z][\w ]+",
    ),
]
_ACTOR_RES = [(code, label, re.compile(pattern)) for code, label, pattern in ACTORS]
ACTOR_LABELS = {code: label for code, label, _ in ACTORS} | {
    "COUNCIL": gettext_noop("The Council itself"),
    "GA": gettext_noop("General Assembly"),
}

DIRECTIVE_RE = re.compile(
    r"\b(?:(?:[Aa]lso|[Ff]urther|[Aa]gain|[Ss]trongly|[Uu]rgently)\s+)?"
    r"(requests|calls upon|calls on|urges|encourages|invites|recommends that|appeals to|asks|"
    r"authorizes|requests that|decides)\b",
    re.IGNORECASE,
)
DECIDING_VERBS = ("decides", "resolves", "decided")
REQUESTING_VERBS = ("requests", "request", "asks", "authorizes")
# where the addressee ends: the infinitive of what they are asked to do, or a clause break
ADDRESSEE_END_RE = re.compile(
    r"\s+to\s+(?!the\b|all\b|its\b|their\b)[a-z]|;|:|\bthat\b|\bwith a view\b|\bin\b(?= [a-z])"
)

SESSION_RE = re.compile(
    rf"(?:(?P<who>General Assembly|Human Rights Council|Council|Assembly)\b[^;.]{{0,40}}?)?"
    rf"\bat its (?P<ordinal>{ORDINAL_PATTERN}) (?P<special>special )?session",
    re.IGNORECASE,
)
ANNUAL_RE = re.compile(
    r"\bannual(?:ly)?\b(?! programme of work)|\bon an annual basis\b|\bevery year\b", re.IGNORECASE
)
RENEWAL_RE = re.compile(
    r"\b(?:to extend|to renew|to continue) the mandate of (?P<holder>[^,;:]+?)"
    r"(?:\s+for (?:a|another) (?:further )?period of (?P<years>\w+) years?|[,;:]|$)",
    re.IGNORECASE,
)
ESTABLISH_RE = re.compile(
    r"\bto (?:establish|appoint|create|dispatch|convene|hold|organize)\b", re.IGNORECASE
)
CONSIDERATION_RE = re.compile(r"\b(?:continue|remain|consideration|seized)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Addressee:
    code: str
    text: str

    @property
    def label(self) -> str:
        return ACTOR_LABELS.get(self.code, self.code)


@dataclass(frozen=True, slots=True)
class Deadline:
    body: str  # "HRC" or "GA"
    session: int | None
    recurrence: str = ""  # "annual" or ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class MandateSpec:
    kind: str  # "report", "action", "renewal", "establishment", "consideration"
    addressees: tuple[Addressee, ...]
    action: str
    deadline: Deadline | None
    renewal_years: int | None = None


def actors_in(span: str) -> list[Addressee]:
    """The actors named in a noun phrase, each once, in order of appearance."""
    found: list[tuple[int, Addressee]] = []
    covered: list[tuple[int, int]] = []
    for code, _label, regex in _ACTOR_RES:
        for match in regex.finditer(span):
            if any(s < match.end() and match.start() < e for s, e in covered):
                continue
            covered.append((match.start(), match.end()))
            if all(a.code != code for _, a in found):
                found.append((match.start(), Addressee(code, match.group(0))))
    return [a for _, a in sorted(found, key=lambda pair: pair[0])]


def addressees_of(text: str, verb: str, *, own_body: str = "HRC") -> list[Addressee]:
    """The actors a paragraph addresses: after every directive verb in it, and the Council when it decides."""
    result: list[Addressee] = []
    lowered_verb = verb.lower()
    if any(lowered_verb.endswith(v) for v in DECIDING_VERBS):
        result.append(Addressee("COUNCIL" if own_body == "HRC" else own_body, verb))
    for match in DIRECTIVE_RE.finditer(text):
        if match.group(1).startswith("decides"):
            continue
        rest = text[match.end() : match.end() + 300]
        end = ADDRESSEE_END_RE.search(rest)
        span = rest[: end.start()] if end else rest
        for actor in actors_in(span):
            if all(a.code != actor.code for a in result):
                result.append(actor)
    return result


def deadline_in(text: str, *, own_body: str = "HRC") -> Deadline | None:
    """The session by which something is due, or "annual"; the last session named is the deadline."""
    sessions = list(SESSION_RE.finditer(text))
    if sessions:
        match = sessions[-1]
        who = (match.group("who") or "").lower()
        if "assembly" in who:
            body = "GA"
        elif "council" in who:
            body = "HRC"
        else:
            body = own_body
        recurrence = "annual" if ANNUAL_RE.search(text) else ""
        return Deadline(body, ordinal_value(match.group("ordinal")), recurrence, match.group(0))
    annual = ANNUAL_RE.search(text)
    if annual:
        return Deadline(own_body, None, "annual", annual.group(0))
    return None


def mandates_in(verb: str, text: str, *, own_body: str = "HRC") -> list[MandateSpec]:
    """The mandates an operative paragraph gives (none for paragraphs that only state a view)."""
    lowered = verb.lower()
    is_request = any(lowered.endswith(v) for v in REQUESTING_VERBS)
    is_decision = any(lowered.endswith(v) for v in DECIDING_VERBS)
    if not (is_request or is_decision):
        return []
    deadline = deadline_in(text, own_body=own_body)
    renewal = RENEWAL_RE.search(text)
    if is_decision and renewal:
        holder = actors_in(renewal.group("holder")) or [
            Addressee("SPECIAL_PROCEDURES", renewal.group("holder"))
        ]
        years = number_value(renewal.group("years")) if renewal.group("years") else None
        return [MandateSpec("renewal", tuple(holder), renewal.group(0).strip(" ,;:"), deadline, years)]
    if is_decision:
        if deadline is None and not ESTABLISH_RE.search(text):
            return []
        kind = "establishment" if ESTABLISH_RE.search(text) else "consideration"
        if kind == "consideration" and not CONSIDERATION_RE.search(text):
            kind = "action"
        code = "COUNCIL" if own_body == "HRC" else own_body
        return [MandateSpec(kind, (Addressee(code, verb),), text, deadline)]
    addressees = [a for a in addressees_of(text, verb, own_body=own_body) if a.code not in ("COUNCIL", "GA")]
    if not addressees:
        return []
    kind = "report" if re.search(r"\breport\b", text, re.IGNORECASE) and deadline else "action"
    return [MandateSpec(kind, tuple(addressees), text, deadline)]
