"""The demo's implementation plan: Slovenia following up the recommendations of its third review.

Built, like the rest of the workspace, through the services a focal point's and an institution's
actions go through (``tracking.services``), so every step is checked and audited. The clusters are
OHCHR's own: the "Theme:" headings of the cycle-3 thematic list shipped in ``data/``, each recommendation
in the cluster of the heading it sits under. The institutions are real Slovenian public bodies, named
as they name themselves in English; their contact details are left empty so that no reminder of the
demo ever reaches them. The actions, statuses and progress are invented around public facts (the
Criminal Code's consent-based definition of rape of 2021, the national programme for the Roma
2021-2030, the Ombudsman's accreditation with A status), and every page of the plan says it is demo data.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.recommendations.importers.ohchr_list import PARAGRAPH, THEME_HEADING
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import Fund, State
from hrcoop.tracking.models import Action, Cluster, ImplementationStatus, Institution, Plan
from hrcoop.tracking.services import (
    add_action,
    add_indicator,
    add_recommendations,
    assign_institutions,
    create_cluster,
    create_institution,
    create_plan,
    post_progress,
    publish_plan,
    request_support,
    review_progress,
    set_status,
)

from . import documents, workspace

CYCLE_THREE_LIST = next(p for p in documents.THEMATIC_LISTS if p.name.startswith("upr34-"))
CYCLE_THREE_SESSION = 34

# Slovenia's bodies that lead or support the follow-up, by a short key.
MFA = "Ministry of Foreign and European Affairs"
JUSTICE = "Ministry of Justice"
INTERIOR = "Ministry of the Interior"
LABOUR = "Ministry of Labour, Family, Social Affairs and Equal Opportunities"
HEALTH = "Ministry of Health"
EDUCATION = "Ministry of Education"
ENVIRONMENT = "Ministry of the Environment, Climate and Energy"
MINORITIES = "Government Office for National Minorities"
EQUALITY = "Advocate of the Principle of Equality"
OMBUDSMAN = "Human Rights Ombudsman of the Republic of Slovenia"
INSTITUTIONS: dict[str, str] = {
    MFA: Institution.Kind.MINISTRY,
    JUSTICE: Institution.Kind.MINISTRY,
    INTERIOR: Institution.Kind.MINISTRY,
    LABOUR: Institution.Kind.MINISTRY,
    HEALTH: Institution.Kind.MINISTRY,
    EDUCATION: Institution.Kind.MINISTRY,
    ENVIRONMENT: Institution.Kind.MINISTRY,
    MINORITIES: Institution.Kind.AGENCY,
    EQUALITY: Institution.Kind.AGENCY,
    OMBUDSMAN: Institution.Kind.NHRI,
}

# Which body leads a heading's cluster (and which support it): the first rule whose words the heading
# holds; the ministry of social affairs and equal opportunities leads the rest (equality, women,
# children, persons with disabilities, family, social security, poverty, housing).
LEADS: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (("NHRI",), OMBUDSMAN, ()),
    (("Racial discrimination",), MINORITIES, (EQUALITY, OMBUDSMAN)),
    (("drinking water",), MINORITIES, (ENVIRONMENT,)),
    (("& the environment", "climate change"), ENVIRONMENT, ()),
    (
        (
            "international norms",
            "Treaty Bodies",
            "Inter-State",
            "development",
            "self-determination",
            "Business",
        ),
        MFA,
        (),
    ),
    (("torture", "detention"), JUSTICE, (OMBUDSMAN,)),
    (("legislative", "institutional", "corruption", "justice", "remedy", "expression"), JUSTICE, ()),
    (("trafficking", "nationality"), INTERIOR, ()),
    (("health",), HEALTH, ()),
    (("education",), EDUCATION, (OMBUDSMAN,)),
    (("Equality & non-discrimination",), LABOUR, (EQUALITY, MINORITIES)),
    (("violence",), LABOUR, (JUSTICE, INTERIOR)),
)

# How far the recommendations of a few clusters are implemented, as the focal point would say.
STATUSES = {
    "National Human Rights Institution (NHRI)": ImplementationStatus.IMPLEMENTED,
    "Sexual & other forms of gender-based violence": ImplementationStatus.PARTIALLY_IMPLEMENTED,
    "Domestic violence": ImplementationStatus.IN_PROGRESS,
    "Racial discrimination": ImplementationStatus.IN_PROGRESS,
    "Human Rights & drinking water & sanitation": ImplementationStatus.IN_PROGRESS,
    "Prohibition of slavery, trafficking": ImplementationStatus.IN_PROGRESS,
}


@dataclass(frozen=True)
class Update:
    reported_on: dt.date
    text: str
    links: tuple[str, ...] = ()
    validated: bool = True
    public: bool = True


def headings() -> dict[str, str]:
    """Paragraph of each recommendation of the cycle-3 list -> the "Theme:" heading it sits under."""
    heading = ""
    found: dict[str, str] = {}
    with gzip.open(CYCLE_THREE_LIST, "rt", encoding="utf-8-sig") as lines:
        for raw in lines:
            line = " ".join(html.unescape(raw).split())
            if THEME_HEADING.match(line):
                heading = re.sub(THEME_HEADING, "", line).strip()
            elif (match := PARAGRAPH.match(line)) and heading:
                found.setdefault(match["para"], heading)
    return found


def _lead(heading: str) -> tuple[str, tuple[str, ...]]:
    for words, lead, supporting in LEADS:
        if any(word.casefold() in heading.casefold() for word in words):
            return lead, supporting
    return LABOUR, ()


def _clusters(plan: Plan, *, actor: User, institutions: dict[str, Institution]) -> dict[str, Cluster]:
    """One cluster per heading, in the list's order, with its lead and supporting institutions."""
    by_paragraph = dict(
        Recommendation.objects.filter(
            state_under_review=plan.state, session__number=CYCLE_THREE_SESSION
        ).values_list("paragraph", "public_id")
    )
    members: dict[str, list[str]] = {}
    for paragraph, heading in headings().items():
        if paragraph in by_paragraph:
            members.setdefault(heading, []).append(by_paragraph[paragraph])
    add_recommendations(plan, actor=actor, public_ids=list(by_paragraph.values()))
    clusters = {}
    for heading, public_ids in members.items():
        cluster = create_cluster(plan, actor=actor, title=heading, public_ids=public_ids)
        lead, supporting = _lead(heading)
        assign_institutions(
            cluster, actor=actor, lead=institutions[lead], supporting=[institutions[s] for s in supporting]
        )
        clusters[heading] = cluster
    return clusters


def _report(action: Action, updates: list[Update], *, author: User, focal_point: User) -> None:
    for update in updates:
        posted = post_progress(
            action, actor=author, reported_on=update.reported_on, text=update.text, links=update.links
        )
        if update.validated:
            review_progress(posted, actor=focal_point, validate=True, public=update.public)


def _actions(
    clusters: dict[str, Cluster],
    *,
    institutions: dict[str, Institution],
    focal_point: User,
    member: User,
    fund: Fund,
    today: dt.date,
) -> AssistanceRequest:
    """The measures of five clusters, their indicators and the progress reported on them; returns the
    draft request for assistance that the action needing support became."""
    ombudsman = add_action(
        clusters["National Human Rights Institution (NHRI)"],
        actor=focal_point,
        description="Bring the Human Rights Ombudsman into full compliance with the Paris Principles "
        "and seek its accreditation with A status",
        institution=institutions[OMBUDSMAN],
        starts_on=dt.date(2020, 3, 1),
        due_on=dt.date(2021, 12, 31),
        status=Action.Status.COMPLETED,
    )
    add_indicator(
        ombudsman,
        actor=focal_point,
        name="Accreditation status of the national human rights institution",
        baseline="B",
        target="A",
        source="GANHRI Sub-Committee on Accreditation",
        sdg_indicator="16.a.1",
    )
    _report(
        ombudsman,
        [
            Update(
                dt.date(2022, 3, 15),
                "GANHRI accredited the Human Rights Ombudsman with A status: it complies fully with the "
                "Paris Principles.",
                ("https://www.varuh-rs.si/en/",),
            )
        ],
        author=focal_point,
        focal_point=focal_point,
    )

    consent = add_action(
        clusters["Sexual & other forms of gender-based violence"],
        actor=focal_point,
        description="Amend the Criminal Code so that rape and sexual violence are defined by the "
        "absence of consent",
        institution=institutions[JUSTICE],
        starts_on=dt.date(2020, 6, 1),
        due_on=dt.date(2021, 6, 30),
        status=Action.Status.COMPLETED,
    )
    add_indicator(
        consent,
        actor=focal_point,
        name="Rape defined in the Criminal Code by the absence of consent",
        baseline="No (defined by force or threat)",
        target="Yes",
        source="Official Gazette of the Republic of Slovenia",
        sdg_indicator="5.2.2",
    )
    training = add_action(
        clusters["Sexual & other forms of gender-based violence"],
        actor=focal_point,
        description="Train judges and state prosecutors in the consent-based definition of sexual "
        "offences, at the Judicial Training Centre",
        institution=institutions[JUSTICE],
        starts_on=dt.date(2022, 1, 1),
        due_on=dt.date(2026, 12, 31),
        status=Action.Status.ONGOING,
    )
    _report(
        consent,
        [
            Update(
                dt.date(2021, 7, 15),
                'The National Assembly adopted the amendment of the Criminal Code ("only yes means yes"): '
                "rape and sexual violence are now defined by the absence of consent.",
            )
        ],
        author=member,
        focal_point=focal_point,
    )
    _report(
        training,
        [
            Update(
                today - dt.timedelta(days=200),
                "First training days held for judges and state prosecutors of the criminal divisions.",
            ),
            Update(
                today - dt.timedelta(days=20),
                "Two further training days held; the material is now part of the Centre's programme.",
                validated=False,
            ),
        ],
        author=member,
        focal_point=focal_point,
    )

    roma = add_action(
        clusters["Racial discrimination"],
        actor=focal_point,
        description="Carry out the National Programme of Measures for the Roma for 2021-2030",
        institution=institutions[MINORITIES],
        starts_on=dt.date(2021, 1, 1),
        due_on=dt.date(2030, 12, 31),
        status=Action.Status.ONGOING,
    )
    _report(
        roma,
        [
            Update(
                dt.date(2021, 6, 30),
                "The Government adopted the National Programme of Measures for the Roma for 2021-2030.",
                (
                    "https://www.gov.si/en/state-authorities/government-offices/government-office-for-national-minorities/",
                ),
            )
        ],
        author=focal_point,
        focal_point=focal_point,
    )

    water = add_action(
        clusters["Human Rights & drinking water & sanitation"],
        actor=focal_point,
        description="Connect the Roma settlements of south-east Slovenia to the public water supply "
        "and sanitation, with their municipalities",
        institution=institutions[MINORITIES],
        starts_on=dt.date(2022, 1, 1),
        due_on=dt.date(2027, 12, 31),
        budget=Money(250_000_00, "USD"),
        status=Action.Status.ONGOING,
    )
    add_indicator(
        water,
        actor=focal_point,
        name="Roma settlements with safely managed drinking water",
        target="All settlements",
        source="Government Office for National Minorities, annual report",
        sdg_indicator="6.1.1",
    )
    _report(
        water,
        [
            Update(
                today - dt.timedelta(days=150),
                "Survey of the water supply of the settlements finished and shared with the municipalities.",
                public=False,
            )
        ],
        author=focal_point,
        focal_point=focal_point,
    )

    screening = add_action(
        clusters["Prohibition of slavery, trafficking"],
        actor=focal_point,
        description="Train asylum and police officers to identify victims of trafficking among "
        "migrants and asylum seekers",
        institution=institutions[INTERIOR],
        starts_on=today + dt.timedelta(days=60),
        due_on=today + dt.timedelta(days=60 + 540),
        budget=Money(80_000_00, "USD"),
    )
    add_indicator(
        screening,
        actor=focal_point,
        name="Detected victims of trafficking per 100,000 population",
        source="Ministry of the Interior, annual report on combating trafficking in human beings",
        sdg_indicator="16.2.2",
    )
    # The gap becomes a draft request for assistance, as "Needs support" on the plan's page does.
    return request_support(screening, actor=focal_point, fund=fund)


def build(made: list[models.Model]) -> list[workspace.SignIn]:
    """Make the plan, publish it, append its top-level records to ``made``; return its sign-in."""
    state = State.objects.get(iso3=workspace.STATE)
    focal_point = User.objects.get(username=workspace.FOCAL_POINT)
    institutions = {
        name: create_institution(actor=focal_point, state=state, name=name, kind=kind)
        for name, kind in INSTITUTIONS.items()
    }
    made.extend(institutions.values())
    sign_in = workspace.demo_user(
        "demo-institution",
        "Ministry of Justice",
        Role.INSTITUTION_MEMBER,
        [str(institutions[JUSTICE].pk)],
        made,
    )
    member = User.objects.get(username=sign_in.username)
    plan = create_plan(
        actor=focal_point,
        state=state,
        title="Implementation of the recommendations of Slovenia's third Universal Periodic Review",
    )
    made.append(plan)
    clusters = _clusters(plan, actor=focal_point, institutions=institutions)
    for heading, status in STATUSES.items():
        for tracked in clusters[heading].recommendations.select_related("recommendation", "plan__state"):
            set_status(tracked, actor=focal_point, status=status)
    fund = Fund.objects.get(code=workspace.SUPPORT_FUND)
    request = _actions(
        clusters,
        institutions=institutions,
        focal_point=focal_point,
        member=member,
        fund=fund,
        today=timezone.localdate(),
    )
    made.append(request)
    publish_plan(plan, actor=focal_point)
    return [sign_in]
