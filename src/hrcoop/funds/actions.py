"""The audit actions that funds' services record: funds, donors, IATI, and one per kind of posting.

A posting records ``funds.<its kind>`` and a reversal ``funds.reverse`` (``ledger.post``);
``POSTING_ACTIONS`` names them by kind, so a new kind of posting without its action fails the audit
tests, and ``selectors.tampered_postings`` reads exactly the events the ledger writes (``LEDGER_ACTIONS``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction
from hrcoop.funds.models import Posting


class FundsAction(AuditAction):
    FUND_CREATED = "funds.create_fund", _("Fund created")
    DONOR_REGISTERED = "funds.register_donor", _("Donor registered")
    DONOR_RECLASSIFIED = "funds.reclassify_donor", _("Donor reclassified")
    IATI_REQUESTED = "funds.iati_requested", _("IATI files requested")
    PLEDGE = "funds.pledge", _("Pledge recorded")
    RECEIPT = "funds.receipt", _("Receipt recorded")
    ALLOCATION = "funds.allocation", _("Allocation recorded")
    DISBURSEMENT = "funds.disbursement", _("Disbursement recorded")
    EXPENDITURE = "funds.expenditure", _("Expenditure recorded")
    REFUND = "funds.refund", _("Refund recorded")
    WRITE_OFF = "funds.write_off", _("Pledge written off")
    REVERSAL = "funds.reverse", _("Posting reversed")


# The action of a posting, by its kind; a reversal records ``FundsAction.REVERSAL`` whatever it undoes.
POSTING_ACTIONS: dict[str, FundsAction] = {
    Posting.Kind.PLEDGE: FundsAction.PLEDGE,
    Posting.Kind.RECEIPT: FundsAction.RECEIPT,
    Posting.Kind.ALLOCATION: FundsAction.ALLOCATION,
    Posting.Kind.DISBURSEMENT: FundsAction.DISBURSEMENT,
    Posting.Kind.EXPENDITURE: FundsAction.EXPENDITURE,
    Posting.Kind.REFUND: FundsAction.REFUND,
    Posting.Kind.WRITE_OFF: FundsAction.WRITE_OFF,
}
# Every action a posting records (``ledger.post``): what the ledger's own audit trail is made of.
LEDGER_ACTIONS = (*POSTING_ACTIONS.values(), FundsAction.REVERSAL)
