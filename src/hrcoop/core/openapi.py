"""How the API's own authentication classes appear in the OpenAPI schema (drf-spectacular extensions)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HrcoopBasicScheme(BasicScheme):
    target_class = "hrcoop.core.accounts.BasicAuthentication"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "hrcoop.core.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token (hrcoop tokens create): `Authorization: Token <key>` or `Bearer <key>`."
            ),
        }
