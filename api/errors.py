"""One error format for the whole API: `{"code": "...", "detail": "..."}`, plus `errors`
(field → messages) when the input itself is wrong.

A service's refusal (a Django `ValidationError` with a code: `shortlist_full`,
`illegal_transition`…) is a 409 Conflict: the request was well-formed, the current state
of the data refuses it. The few codes that mean "the input is incomplete" are a 400.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# Refusals that mean the request lacks something the caller can add (a reason, a cause).
INPUT_CODES = {"cause_required", "reason_required", "expiry_in_past", "invalid"}


class ServiceRefusal(exceptions.APIException):
    """A service's ValidationError, carried to the client with its code."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, error=None, *, code=None, message=None):
        self.code = code or getattr(error, "code", None) or "invalid"
        if self.code in INPUT_CODES:
            self.status_code = status.HTTP_400_BAD_REQUEST
        self.message = str(message) if message else " ".join(error.messages)
        super().__init__(self.message, self.code)


class InvalidInput(exceptions.APIException):
    """A form's errors (the same forms as the pages validate the same fields)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, errors):
        self.errors = errors
        super().__init__(_("The request was not valid: see the errors of each field."))


def body(code, detail, **extra):
    return {"code": code, "detail": str(detail), **extra}


def _field_errors(detail):
    """DRF's nested error details as {field: [messages]} (non-field errors under
    `non_field_errors`)."""
    if isinstance(detail, dict):
        return {name: _messages(value) for name, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(value):
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(_messages(item) if isinstance(item, list | dict) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    return [str(value)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = ServiceRefusal(exc)
    elif isinstance(exc, IntegrityError):
        # A database constraint caught what a concurrent request changed under this one.
        exc = exceptions.APIException(
            _("The data changed meanwhile: reload and try again."), "conflict"
        )
        exc.status_code = status.HTTP_409_CONFLICT
    if isinstance(exc, InvalidInput):
        response = Response(body("invalid", exc.detail, errors=exc.errors), status=exc.status_code)
        return response
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            body(
                "invalid",
                _("The request was not valid: see the errors of each field."),
                errors=_field_errors(exc.detail),
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code, detail = _code_and_detail(exc)
    response.data = body(code, detail)
    return response


def _code_and_detail(exc):
    if isinstance(exc, Http404):
        return "not_found", _("Not found.")
    if isinstance(exc, PermissionDenied):
        return "permission_denied", _("You do not have permission to perform this action.")
    if isinstance(exc, ServiceRefusal):
        return exc.code, exc.message
    detail = exc.detail
    code = detail.code if hasattr(detail, "code") else exc.default_code
    return code or "error", detail
