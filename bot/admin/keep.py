"""What the officer typed, kept for the page re-rendered after a validation error (status
400, no redirect: nothing typed is lost, and nothing personal goes into the session cookie)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import g, make_response
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

_SKIP = frozenset({"csrf_token", "next"})


def keep_form(scope: str, form: Mapping[str, str]) -> None:
    """Remember this request's form for the page it re-renders (`scope` names the form)."""
    g.kept_form = (scope, {k: v for k, v in form.items() if k not in _SKIP})


def kept(scope: str) -> dict[str, str]:
    """The kept values of a form, or nothing when the page shows a fresh form."""
    found = g.get("kept_form")
    return dict(found[1]) if found and found[0] == scope else {}


def refused(page: ResponseReturnValue) -> Response:
    """The re-rendered page, answered 400: the input was refused, nothing was changed."""
    response = make_response(page)
    response.status_code = 400
    return response


def kept_scope() -> str:
    """Which form, if any, the page re-renders with kept values."""
    found = g.get("kept_form")
    return str(found[0]) if found else ""
