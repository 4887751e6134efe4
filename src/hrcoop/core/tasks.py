"""The daily integrity check (queue it from cron: ``hrcoop audit daily``).

It runs every registered check (``hrcoop.core.integrity``) and, when one finds a problem, e-mails the
administrators the first problems of each: a chain broken at night must be read in the morning, not
found at the next audit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from hrcoop.core.audit import chain_head
from hrcoop.core.integrity import administrator_addresses, run_checks

SHOWN_PROBLEMS = 20


@task()
def verify_integrity() -> dict[str, int]:
    results = run_checks()
    failed = {name: problems for name, problems in results.items() if problems}
    recipients = administrator_addresses() if failed else []
    if recipients:
        lines = [f"Integrity checks of {settings.SITE_URL} found problems.", ""]
        for name, problems in failed.items():
            lines.append(f"{name}: {len(problems)} problem(s); the first:")
            lines.extend(f"  {problem}" for problem in problems[:SHOWN_PROBLEMS])
            lines.append("")
        lines.append(f"Audit chain head now: {chain_head()}")
        lines.append("Run `hrcoop audit verify` on the server for the whole list.")
        send_mail(
            subject=f"[hrcoop] INTEGRITY ALERT: {', '.join(failed)} check failed",
            message="\n".join(lines),
            from_email=None,
            recipient_list=recipients,
        )
    return {**{name: len(problems) for name, problems in results.items()}, "emails": len(recipients)}
