"""Every write of the funds: funds, donors, and the business events the ledger posts.

An event service finds what the event is about (a fund, a pledge, a receipt, an allocation, a request,
a posting), checks that the actor is the fund's secretariat and that the currencies agree, and hands
the event to ``ledger.post``, where its declared spec (``ledger.PLEDGE``, ``ledger.RECEIPT``, ...) says
what it posts. Bad input is refused before anything is read or written.

Cross-currency rounding rule (``core.money.convert``): a conversion multiplies the exact minor-unit
amount by the rate and rounds half to even to the target currency's minor unit, once per receipt;
"paid" on a pledge is the sum of these rounded amounts in the pledge's currency and is never allowed to
exceed the pledge.
"""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.assistance.services import mark_funded, withdraw_funding
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from hrcoop.core.models import Role, User
from hrcoop.core.money import Conversion, Money, check_currency, convert
from hrcoop.core.roles import Actor, has_role
from hrcoop.funds import iati, ledger
from hrcoop.funds.actions import FundsAction
from hrcoop.funds.classification import is_traditional
from hrcoop.funds.ledger import checked_input, event_service, post
from hrcoop.funds.models import Allocation, Document, Donor, Pledge, Posting, Receipt
from hrcoop.funds.selectors import live_allocations
from hrcoop.reference.models import Fund, Organisation, State
from hrcoop.reference.selectors import fund_for

FUNDABLE = (Status.APPROVED, Status.APPROVED_WITH_CHANGES)
TOP_UP = (Status.FUNDED, Status.IN_IMPLEMENTATION)
# A fund's code names it in URLs, CSV file names and allocation references: ASCII letters and digits,
# single hyphens between them.
FUND_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _require_secretariat(actor: Actor, fund: Fund | None = None) -> User | None:
    """The secretariat (of the fund, or of every fund) and admins write; ``None`` is the system itself."""
    if actor is None:
        return None
    if not has_role(actor, Role.SECRETARIAT, scope=fund.code if fund else None):
        raise Forbidden(_("only the secretariat of the fund may record this"))
    assert isinstance(actor, User)
    return actor


def _same_currency(amount: Money, document: Any, message: str) -> None:
    """Refuse ``amount`` unless it is in the currency of ``document`` (a request, a receipt, ...), which
    ``message`` names by ``id``."""
    if amount.currency != document.currency:
        figures = {"id": document.public_id if isinstance(document, AssistanceRequest) else document.pk}
        raise InvalidInput(
            message % {**figures, "currency": document.currency, "other": amount.currency}, where="currency"
        )


def _conversion(
    amount: Money, currency: str, rate: Decimal | str | None, rate_date: datetime.date | None, source: str
) -> Conversion | None:
    """The conversion of ``amount`` into ``currency`` at the rate given, or ``None`` when none is needed."""
    if amount.currency == currency:
        return None
    return convert(amount, currency, rate=rate, rate_date=rate_date, source=source)


def _rate_fields(conversion: Conversion | None) -> dict[str, Any]:
    """The rate a document records: the one used, or none."""
    if conversion is None:
        return {"rate": None, "rate_date": None, "rate_source": ""}
    return {"rate": conversion.rate, "rate_date": conversion.rate_date, "rate_source": conversion.rate_source}


def _sent_rate(rate: Decimal | str | None, rate_date: datetime.date | None, rate_source: str) -> list[Any]:
    """The rate as sent, for the idempotency fingerprint: the same key with another rate is refused."""
    return [None if rate in (None, "") else str(rate), rate_date, (rate_source or "").strip()]


# --- reference data: funds and donors -------------------------------------------------------------


@transaction.atomic
def create_fund(*, code: str, name: str, currency: str, actor: Actor) -> Fund:
    """Add a fund (secretariat or admin); its books open empty, its accounts with its first posting."""
    user = _require_secretariat(actor)
    code = (code or "").strip().upper()
    if not FUND_CODE.fullmatch(code) or len(code) > 20:
        raise InvalidInput(
            _(
                "%(code)r is not a fund code: 1 to 20 letters and digits, "
                "with single hyphens between them (e.g. UPR-FTA)"
            )
            % {"code": code},
            where="code",
        )
    if not (name or "").strip():
        raise InvalidInput(_("the fund's name is required"), where="name")
    if Fund.objects.filter(code=code).exists():
        raise Conflict(_("fund %(code)s already exists") % {"code": code}, where="code")
    fund = Fund.objects.create(code=code, name=name.strip(), currency=check_currency(currency))
    record_event(
        actor=user,
        action=FundsAction.FUND_CREATED,
        target=fund,
        data={"old": None, "new": {"code": fund.code, "name": fund.name, "currency": fund.currency}},
    )
    return fund


# Who may give without being named to the public (docs/funds.md, "Donors"): public bodies give public
# money, of which the Council and IATI are told by name.
ANONYMOUS_KINDS = (Donor.Kind.FOUNDATION, Donor.Kind.PRIVATE)


@transaction.atomic
def register_donor(
    *,
    name: str,
    kind: str,
    state_iso3: str | None = None,
    organisation_code: str | None = None,
    anonymous: bool = False,
    actor: Actor,
) -> Donor:
    """Add a donor, classified traditional or not by ``classification.is_traditional``."""
    user = _require_secretariat(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("the donor's name is required"), where="name")
    if kind not in Donor.Kind.values:
        raise InvalidInput(
            _("unknown donor kind %(kind)r: one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(Donor.Kind.values)},
            where="kind",
        )
    if anonymous and kind not in ANONYMOUS_KINDS:
        raise InvalidInput(
            _(
                "a State or an intergovernmental organisation gives in its own name: only foundations and "
                "private donors may stay anonymous"
            ),
            where="anonymous",
        )
    state = organisation = None
    if kind in (Donor.Kind.MEMBER_STATE, Donor.Kind.OTHER_STATE):
        state = State.objects.filter(iso3=(state_iso3 or "").upper()).first()
        if state is None:
            raise InvalidInput(
                _("a State donor needs a known ISO alpha-3 code, not %(code)r") % {"code": state_iso3},
                where="state",
            )
        if (state.status == State.Status.MEMBER) != (kind == Donor.Kind.MEMBER_STATE):
            message = (
                _("%(state)s is not a Member State")
                if kind == Donor.Kind.MEMBER_STATE
                else _("%(state)s is not an observer State")
            )
            raise InvalidInput(message % {"state": state.name})
    elif organisation_code:
        organisation = Organisation.objects.filter(code=organisation_code).first()
        if organisation is None or kind != Donor.Kind.IGO:
            raise InvalidInput(
                _("unknown intergovernmental organisation %(code)r") % {"code": organisation_code},
                where="organisation",
            )
    if Donor.objects.filter(name=name).exists():
        raise Conflict(_("donor %(name)r already exists") % {"name": name}, where="name")
    donor = Donor.objects.create(
        name=name,
        kind=kind,
        state=state,
        organisation=organisation,
        anonymous=anonymous,
        traditional=is_traditional(
            state_iso3=state.iso3 if state else None,
            organisation_code=organisation.code if organisation else None,
        ),
    )
    new = {
        "name": donor.name,
        "kind": donor.kind,
        "state": state.iso3 if state else None,
        "organisation": organisation.code if organisation else None,
        "anonymous": donor.anonymous,
        "traditional": donor.traditional,
    }
    record_event(
        actor=user, action=FundsAction.DONOR_REGISTERED, target=donor, data={"old": None, "new": new}
    )
    return donor


@transaction.atomic
def reclassify_donors(*, actor: Actor) -> int:
    """Apply the classification rule again to every donor (after the DAC list changed); returns changes."""
    user = _require_secretariat(actor)
    changed = 0
    for donor in Donor.objects.select_related("state", "organisation").select_for_update():
        traditional = is_traditional(
            state_iso3=donor.state.iso3 if donor.state else None,
            organisation_code=donor.organisation.code if donor.organisation else None,
        )
        if traditional != donor.traditional:
            Donor.objects.filter(pk=donor.pk).update(traditional=traditional)
            record_event(
                actor=user,
                action=FundsAction.DONOR_RECLASSIFIED,
                target=donor,
                data={"old": {"traditional": donor.traditional}, "new": {"traditional": traditional}},
            )
            changed += 1
    return changed


# --- business events --------------------------------------------------------------------------------


def _found(queryset: Any, pk: Any, message: str, *, where: str) -> Any:
    """The document the event is about, or ``NotFound`` naming it."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(message % {"id": pk}, where=where)
    return found


@dataclass(frozen=True)
class _Against:
    """An event posted against an earlier document of a fund: a receipt or a write-off against its
    pledge, a disbursement against its allocation, a refund against its receipt.

    Each such event finds its document, lets only that fund's secretariat record it, may not come
    before the document's date and (unless it converts) must be in the document's currency; this says
    where the event differs, so that ``_source`` and ``_post_against`` write what they share once.
    """

    model: type[Document]
    missing: Promise  # NotFound, naming the id sent as %(id)r
    dated: str  # the document's date, before which the event is refused
    other_currency: Promise | None = None  # refused in another currency, with this; None: converted
    fund: str = "fund"  # the way from the document to its fund
    links: tuple[str, ...] = ()  # the documents the posting names besides this one

    @property
    def name(self) -> str:
        """The document's name: the posting's link to it, and the field an error is about."""
        return str(self.model._meta.model_name)


_PLEDGE_RECEIVED = _Against(
    Pledge, gettext_lazy("there is no pledge %(id)r to receive money against"), "pledged_on"
)
_ALLOCATION_DISBURSED = _Against(
    Allocation,
    gettext_lazy("there is no allocation %(id)r"),
    "allocated_on",
    gettext_lazy("allocation %(id)s is in %(currency)s, not %(other)s"),
)
_RECEIPT_REFUNDED = _Against(
    Receipt,
    gettext_lazy("there is no receipt %(id)r"),
    "received_on",
    gettext_lazy("receipt %(id)s came in %(currency)s; refund it in %(currency)s"),
    fund="pledge.fund",
    links=("pledge",),
)
_PLEDGE_WRITTEN_OFF = _Against(
    Pledge,
    gettext_lazy("there is no pledge %(id)r"),
    "pledged_on",
    gettext_lazy("pledge %(id)s is in %(currency)s; write it off in %(currency)s"),
)


class _Source(NamedTuple):
    """The document an event is posted against, its fund, the actor allowed to post, and the earliest
    day the event may have."""

    document: Any
    fund: Fund
    user: User | None
    earliest: datetime.date


def _source(against: _Against, pk: Any, *, amount: Money, actor: Actor) -> _Source:
    """Find the document ``pk`` and check what every event against it checks, in the order the
    services always did: it exists, the actor is its fund's secretariat, the amount's currency fits."""
    documents = against.model._default_manager.select_related(against.fund.replace(".", "__"))
    document = _found(documents, pk, str(against.missing), where=against.name)
    fund = operator.attrgetter(against.fund)(document)
    user = _require_secretariat(actor, fund)
    if against.other_currency is not None:
        _same_currency(amount, document, str(against.other_currency))
    return _Source(document, fund, user, getattr(document, against.dated))


def _post_against(
    against: _Against, pk: Any, checked: ledger.Checked, *, actor: Actor, reason: str | None = None
) -> Posting:
    """Post an event that creates no document of its own against the document ``pk``.

    With a ``reason`` (a refund, a write-off: money taken back from the document) the reason is the
    posting's memo and the audit event is about the document; without one (a disbursement) the audit
    event is about the posting and names the document.
    """
    assert checked.amount is not None
    amount = checked.amount
    source = _source(against, pk, amount=amount, actor=actor)
    document = source.document
    if reason is None:
        told, about, audit = [], None, {against.name: document.pk, "amount": str(amount)}
    else:
        told, about, audit = [reason], document, {"amount": str(amount), "reason": reason}
    return post(
        checked,
        fund=source.fund,
        sent={checked.event.kind: [document.pk, amount.amount, checked.day, *told]},
        actor=source.user,
        follows=source.earliest,
        memo=reason or "",
        links={**{link: getattr(document, link) for link in against.links}, against.name: document},
        about=about,
        audit=audit,
    )


@event_service
def record_pledge(
    *,
    fund_code: str,
    donor_id: int,
    amount: Money,
    pledged_on: datetime.date,
    idempotency_key: str,
    rate: Decimal | str | None = None,
    rate_date: datetime.date | None = None,
    rate_source: str = "",
    note: str = "",
    actor: Actor,
) -> Pledge:
    """A donor pledges: Dr pledges receivable, Cr contributions. Another currency needs a rate."""
    checked = checked_input(ledger.PLEDGE, amount=amount, key=idempotency_key, day=pledged_on)
    fund = fund_for(fund_code)
    user = _require_secretariat(actor, fund)
    donor = _found(Donor.objects, donor_id, _("there is no donor %(id)r"), where="donor")
    conversion = _conversion(amount, fund.currency, rate, rate_date, rate_source)

    def document() -> dict[str, Model]:
        pledge = Pledge.objects.create(
            fund=fund,
            donor=donor,
            amount=amount.amount,
            currency=amount.currency,
            pledged_on=checked.day,
            fund_amount=conversion.result.amount if conversion else amount.amount,
            note=note[:500],
            **_rate_fields(conversion),
        )
        return {"pledge": pledge}

    sent_rate = _sent_rate(rate, rate_date, rate_source)
    posting = post(
        checked,
        fund=fund,
        sent={"pledge": [fund.code, donor.pk, amount.amount, amount.currency, checked.day, note, *sent_rate]},
        actor=user,
        memo=note,
        document=document,
        audit={"donor": donor.pk, "amount": str(amount)},
    )
    assert posting.pledge is not None
    return posting.pledge


@event_service
def record_receipt(
    *,
    pledge_id: int,
    amount: Money,
    received_on: datetime.date,
    idempotency_key: str,
    rate: Decimal | str | None = None,
    rate_date: datetime.date | None = None,
    rate_source: str = "",
    actor: Actor,
) -> Receipt:
    """Money in against a pledge, in full or in part, possibly in another currency (at a recorded rate)."""
    checked = checked_input(ledger.RECEIPT, amount=amount, key=idempotency_key, day=received_on)
    source = _source(_PLEDGE_RECEIVED, pledge_id, amount=amount, actor=actor)
    pledge: Pledge = source.document
    conversion = _conversion(amount, pledge.currency, rate, rate_date, rate_source)
    paid = conversion.result if conversion else amount

    def document() -> dict[str, Model]:
        receipt = Receipt.objects.create(
            pledge=pledge,
            amount=amount.amount,
            currency=amount.currency,
            received_on=checked.day,
            pledge_amount=paid.amount,
            **_rate_fields(conversion),
        )
        return {"receipt": receipt}

    sent_rate = _sent_rate(rate, rate_date, rate_source)
    posting = post(
        checked,
        fund=source.fund,
        converted=paid,
        sent={"receipt": [pledge.pk, amount.amount, amount.currency, checked.day, *sent_rate]},
        actor=source.user,
        follows=source.earliest,
        links={"pledge": pledge},
        document=document,
        audit={"pledge": pledge.pk, "amount": str(amount), "paid": str(paid)},
    )
    assert posting.receipt is not None
    return posting.receipt


@event_service
def allocate(
    *,
    request_id: str,
    amount: Money,
    allocated_on: datetime.date,
    idempotency_key: str,
    actor: Actor,
) -> Allocation:
    """Commit money of the request's fund to an approved request, under the fund's lock.

    Refused beyond what is available. The first allocation moves the request to ``funded`` through
    ``assistance.services.mark_funded`` in the same transaction; a funded request may be topped up.
    """
    checked = checked_input(ledger.ALLOCATION, amount=amount, key=idempotency_key, day=allocated_on)
    request = (
        AssistanceRequest.objects.select_related("fund").filter(public_id=(request_id or "").strip()).first()
    )
    if request is None:
        raise NotFound(_("there is no request for assistance %(id)r") % {"id": request_id}, where="request")
    fund = request.fund
    user = _require_secretariat(actor, fund)
    _same_currency(amount, request, _("request %(id)s is in %(currency)s, not %(other)s"))

    def document() -> dict[str, Model]:
        request.refresh_from_db(fields=["status"])
        if request.status not in FUNDABLE + TOP_UP:
            raise Conflict(
                _(
                    "request %(id)s is %(status)s: "
                    "only an approved (or already funded) request can receive an allocation"
                )
                % {"id": request.public_id, "status": request.get_status_display().lower()},
                where="request",
            )
        allocation = Allocation.objects.create(
            fund=fund,
            request=request,
            amount=amount.amount,
            currency=amount.currency,
            allocated_on=checked.day,
        )
        return {"allocation": allocation}

    def then(posting: Posting) -> None:
        """The first allocation funds the request."""
        if request.status in FUNDABLE:
            reference = f"{fund.code}/allocation/{posting.allocation_id}"
            mark_funded(request, actor=actor, allocation_reference=reference)

    posting = post(
        checked,
        fund=fund,
        sent={"allocation": [request.public_id, amount.amount, amount.currency, checked.day]},
        actor=user,
        document=document,
        then=then,
        audit={"request": request.public_id, "amount": str(amount)},
    )
    assert posting.allocation is not None
    return posting.allocation


@event_service
def disburse(
    *, allocation_id: int, amount: Money, disbursed_on: datetime.date, idempotency_key: str, actor: Actor
) -> Posting:
    """Pay out (part of) an allocation: Dr commitments, Cr cash."""
    checked = checked_input(ledger.DISBURSEMENT, amount=amount, key=idempotency_key, day=disbursed_on)
    return _post_against(_ALLOCATION_DISBURSED, allocation_id, checked, actor=actor)


@event_service
def record_expenditure(
    *,
    fund_code: str,
    amount: Money,
    spent_on: datetime.date,
    description: str,
    idempotency_key: str,
    actor: Actor,
) -> Posting:
    """A direct expense of the fund (e.g. travel paid by the fund itself): Dr expenditure, Cr cash."""
    checked = checked_input(ledger.EXPENDITURE, amount=amount, key=idempotency_key, day=spent_on)
    fund = fund_for(fund_code)
    user = _require_secretariat(actor, fund)
    if not (description or "").strip():
        raise InvalidInput(_("say what the expenditure was for"), where="description")
    return post(
        checked,
        fund=fund,
        sent={"expenditure": [fund.code, amount.amount, amount.currency, checked.day, description]},
        actor=user,
        memo=description,
        audit={"amount": str(amount)},
    )


@event_service
def refund(
    *,
    receipt_id: int,
    amount: Money,
    refunded_on: datetime.date,
    reason: str,
    idempotency_key: str,
    actor: Actor,
) -> Posting:
    """Return money to the donor out of a receipt, in the receipt's currency: Dr refunds, Cr cash."""
    checked = checked_input(ledger.REFUND, amount=amount, key=idempotency_key, day=refunded_on)
    return _post_against(_RECEIPT_REFUNDED, receipt_id, checked, actor=actor, reason=reason)


@event_service
def write_off(
    *,
    pledge_id: int,
    amount: Money,
    written_off_on: datetime.date,
    reason: str,
    idempotency_key: str,
    actor: Actor,
) -> Posting:
    """Write off (part of) a pledge that will not be paid: Dr write-offs, Cr pledges receivable."""
    checked = checked_input(ledger.WRITE_OFF, amount=amount, key=idempotency_key, day=written_off_on)
    return _post_against(_PLEDGE_WRITTEN_OFF, pledge_id, checked, actor=actor, reason=reason)


@event_service
def reverse(
    *, posting_id: int, reason: str, reversed_on: datetime.date, idempotency_key: str, actor: Actor
) -> Posting:
    """Correct a posting by one that negates its lines; refused if the books would break."""
    checked = checked_input(ledger.REVERSAL, amount=None, key=idempotency_key, day=reversed_on)
    if not (reason or "").strip():
        raise InvalidInput(_("say why the posting is reversed"), where="reason")
    original = _found(
        Posting.objects.select_related("fund", "pledge", "receipt", "allocation"),
        posting_id,
        _("there is no posting %(id)r"),
        where="posting",
    )
    user = _require_secretariat(actor, original.fund)

    def lines() -> list[tuple[str, Money]]:
        if original.reverses_id is not None:
            raise Conflict(
                _("posting %(id)s is itself a reversal; record the event again instead") % {"id": original.pk}
            )
        if Posting.objects.filter(reverses=original).exists():
            raise Conflict(_("posting %(id)s was already reversed") % {"id": original.pk})
        return [
            (line.account.kind, Money(-line.amount, line.account.currency))
            for line in original.lines.select_related("account")
        ]

    def then(posting: Posting) -> None:
        """A funded request whose last allocation is reversed is approved again, awaiting funds."""
        allocation = original.allocation
        if original.kind != Posting.Kind.ALLOCATION or allocation is None:
            return
        request = allocation.request
        if request.status == Status.FUNDED and not live_allocations(request).exists():
            withdraw_funding(
                request, actor=actor, reason=_("allocation %(id)s reversed") % {"id": allocation.pk}
            )

    return post(
        checked,
        fund=original.fund,
        sent={"reverse": [original.pk, checked.day, reason]},
        actor=user,
        follows=original.occurred_on,
        memo=reason,
        links={
            "pledge": original.pledge,
            "receipt": original.receipt,
            "allocation": original.allocation,
            "reverses": original,
        },
        lines=lines,
        then=then,
        audit={"reverses": original.pk, "reason": reason},
    )


def request_iati_publication(*, actor: Actor) -> None:
    """The secretariat asks for the IATI files on /funds/ to be rebuilt now (a daily task does the same)."""
    user = _require_secretariat(actor)
    if user is None:
        raise Forbidden(_("only the secretariat asks for the IATI files to be rebuilt"))
    iati.site_schemas()  # refused now, with what to set, rather than failing later in the background
    record_event(actor=user, action=FundsAction.IATI_REQUESTED, target=user, data={})
    from hrcoop.funds.tasks import publish_iati

    transaction.on_commit(lambda: publish_iati.enqueue())
