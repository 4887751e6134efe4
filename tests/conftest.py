"""Fixtures shared by the whole suite: where the real data is, which database runs, the browser."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection, connections

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, SetCookieParam

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("HRCOOP_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``hrcoop ARGS`` as a person would: (exit status, what it printed, what it printed on stderr)."""
    from hrcoop.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@contextmanager
def records_exactly(*actions: Any) -> Iterator[None]:
    """The block records these audit events (an app's ``AuditAction`` members), in this order, and no
    other: one for a service, a step that moves a request too records the request's, a bulk one many."""
    from hrcoop.core.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    yield
    made = list(AuditEvent.objects.filter(id__gt=last).order_by("id").values_list("action", flat=True))
    assert made == [action.value for action in actions], f"recorded {made}"


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; the test skips, saying why, when the real data is not on this machine."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"real data {path} is not present (tests read it from ../shared/data beside the repository)"
        )
    return path


@contextmanager
def committed() -> Iterator[None]:
    """Run at the end of the block what waits for its commit (the search index's catch-up, queued
    tasks), as the commit would: a test's transaction never commits. An import made in it is then
    searchable after the block, as it is shortly after a real import commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


COLLECTED_STATIC = tempfile.TemporaryDirectory(prefix="hrcoop-test-static-")
VECTOR_INDEXES = tempfile.TemporaryDirectory(prefix="hrcoop-test-vector-index-")
_vector_index_number = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    """An empty collected-static folder for the run. WhiteNoise serves the apps' files through the
    finders in tests, but warns at every start of the WSGI application (one is built while collecting)
    if ``STATIC_ROOT`` is missing, as it is on a checkout where ``hrcoop init`` never ran."""
    from django.conf import settings

    settings.STATIC_ROOT = COLLECTED_STATIC.name
    # Nothing is collected, so no manifest names fingerprinted copies: ``{% static %}`` gives the plain
    # names, which WhiteNoise serves from the apps' folders (tests/core/test_staticfiles.py collects).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # The settings have no default key (a public one would sign everyone's sessions); the suite's own:
    settings.SECRET_KEY = "tests-only-" + "k" * 50


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = connection.vendor == "postgresql"
    if os.environ.get("HRCOOP_REQUIRE_POSTGRES") and not on_postgres:
        raise pytest.UsageError("HRCOOP_REQUIRE_POSTGRES is set but DATABASE_URL does not name PostgreSQL")
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL (row locks, concurrent writers): run with DATABASE_URL=postgres://..."
    )
    for item in items:
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_passwords(settings: pytest.FixtureRequest) -> None:
    """Passwords hash fast: the real hashers' deliberate slowness costs about a second per user, and a
    test of what a signed-in person does needs no such protection. Not for every test: those of the
    hashing itself (tests/portal/test_accounts.py) keep the site's hashers. An app whose tests all sign
    people in uses it from its ``conftest.py``."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: pytest.FixtureRequest) -> None:
    """Background tasks run in-process during tests, so their effects can be asserted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _own_vector_index(settings: pytest.FixtureRequest) -> None:
    """Each test has its own vector-index folder (not yet created): the index is a file, which a
    rolled-back test would otherwise leave behind for the next one, with vectors it never had."""
    folder = Path(VECTOR_INDEXES.name) / str(next(_vector_index_number))
    settings.SEARCH_VECTOR_INDEX_DIR = folder  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in English: a page requested under /fr/ leaves French active in the thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Client.force_login`` stands for the whole sign-in, second factor included: a test that signs in
    the secretariat or a board member is about what they do next, not about the code they would type.
    Tests of the second factor itself post the sign-in form (password only)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hrcoop.core.accounts import needs_second_factor

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        if needs_second_factor(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: rolled-back tests may repeat a registry version."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(db: None) -> None:
    from hrcoop.reference.services import load_reference_data

    load_reference_data()


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(chromium_path: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, for the tests that walk ``live_server`` as a person would.

    The database connection a test opens while Playwright runs is not the one pytest-django closes
    after the test (Django keeps connections in context-local storage, and Playwright's synchronous
    API runs its loop in a greenlet). Left open, it kept PostgreSQL from dropping the test database
    at the end of the run ("being accessed by other users"), so it is closed here.
    """
    from playwright.sync_api import expect, sync_playwright

    # An assertion waits up to 30 s for the page to show what it expects (Playwright's default is 5 s):
    # CI shares two cores with other work, and a server answer that took 6 s failed a correct journey.
    expect.set_options(timeout=30_000)
    monkeypatch.setenv(
        "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
    )  # the live server's ORM runs beside Playwright's loop
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


def assert_no_sideways_scroll(page: Page, where: str) -> None:
    """The page is no wider than the window (a phone at 390 px must never scroll sideways). Measured once
    the page has loaded: right after a click on a link, the next document may not be there yet."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"{where}: the page is {width} px wide in a window of {inner} px"


def assert_accessible(page: Page, where: str) -> None:
    """axe-core finds no violation of WCAG 2.1 A and AA on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


def assert_fits_and_accessible(page: Page, where: str) -> None:
    """What every page of a person's journey is held to: no sideways scroll, no axe-core violation."""
    assert_no_sideways_scroll(page, where)
    assert_accessible(page, where)


def session_cookie(user: Any, base: str) -> SetCookieParam:
    """Sign the user in the way the login page would, and hand the session to a browser context."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium for Playwright; in CI a missing browser is a failure, not a skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium) - browser tests need it")
    return path
