"""Secure defaults: no server without a secret key, one switch for HTTPS, a clean ``check --deploy``, CSP."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

HRCOOP = str(Path(sys.executable).with_name("hrcoop"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRCOOP_") and k != "DATABASE_URL"}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "HRCOOP_VAR_DIR": str(tmp_path),
        **extra,
    }


def test_check_deploy_is_clean_with_a_key_the_hosts_and_https(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        HRCOOP_SECRET_KEY=secrets.token_urlsafe(50),
        HRCOOP_ALLOWED_HOSTS="hrcoop.example.org",
        HRCOOP_HTTPS="1",
        HRCOOP_SITE_URL="https://hrcoop.example.org",
    )
    result = subprocess.run(
        [HRCOOP, "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_links_in_e_mail_would_point_at_this_machine(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        HRCOOP_SECRET_KEY=secrets.token_urlsafe(50),
        HRCOOP_ALLOWED_HOSTS="hrcoop.example.org",
        HRCOOP_HTTPS="1",
    )
    result = subprocess.run(
        [HRCOOP, "check", "--deploy"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert "hrcoop.W001" in result.stderr + result.stdout
    assert "HRCOOP_SITE_URL is http://127.0.0.1:8000" in result.stderr + result.stdout


def test_without_https_check_deploy_names_what_it_turns_on(tmp_path: Path) -> None:
    env = _env(
        tmp_path, HRCOOP_SECRET_KEY=secrets.token_urlsafe(50), HRCOOP_ALLOWED_HOSTS="hrcoop.example.org"
    )
    result = subprocess.run(
        [HRCOOP, "check", "--deploy"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    found = {w for w in ("W004", "W008", "W012", "W016") if f"security.{w}" in result.stderr + result.stdout}
    assert found == {"W004", "W008", "W012", "W016"}


def test_without_a_secret_key_the_server_refuses_to_start_and_check_deploy_says_why(tmp_path: Path) -> None:
    env = _env(tmp_path)
    server = subprocess.run(
        [sys.executable, "-c", "import hrcoop.config.wsgi"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert server.returncode != 0
    assert "HRCOOP_SECRET_KEY (or HRCOOP_SECRET_KEY_FILE) is not set" in server.stderr
    check = subprocess.run(
        [HRCOOP, "check", "--deploy"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert check.returncode != 0 and "hrcoop.E001" in check.stderr
    key_file = tmp_path / "secret-key"
    key_file.write_text(secrets.token_urlsafe(50))
    served = subprocess.run(
        [sys.executable, "-c", "import hrcoop.config.wsgi"],
        capture_output=True, text=True, env={**env, "HRCOOP_SECRET_KEY_FILE": str(key_file)},
        timeout=120, check=False,
    )  # fmt: skip
    assert served.returncode == 0, served.stderr


LOADED_AT_START = """
import sys
import hrcoop.config.wsgi
from django.template import engines
cached = engines["django"].engine.template_loaders[0].get_template_cache
print("hrcoop.tracking.api" in sys.modules, "recommendations/detail.html" in cached)
"""


def test_the_server_loads_views_and_templates_when_it_starts_not_at_a_workers_first_request(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path, HRCOOP_SECRET_KEY=secrets.token_urlsafe(50))
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED_AT_START],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    views, templates = loaded.stdout.split()
    assert views == "True", "the views were left for the first request to import"
    assert templates == "True", "the templates were left for the first request to compile"


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_scripts(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] + directives["style-src"]
