"""The JSON API at /api/v1: one NinjaAPI, with each app's router mounted on it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from mawa import __version__
from mawa.assistance.api import router as assistance_router
from mawa.core.api_auth import TokenAuth
from mawa.core.api_input import StorableJsonParser, document_errors
from mawa.feedback.api import router as feedback_router
from mawa.field.api import router as field_router
from mawa.hazards.api import router as hazards_router
from mawa.names.api import router as names_router
from mawa.registry.api import ApiValidationError
from mawa.registry.api import router as registry_router


class MawaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = MawaAPI(
    title="Mawa API",
    version=__version__,
    description="Registry of displaced households. Authenticate with `Authorization: Bearer`.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=StorableJsonParser(),
)
api.add_router("/", registry_router)
api.add_router("/", names_router)
api.add_router("/", assistance_router)
api.add_router("/", field_router)
api.add_router("/", feedback_router)
api.add_router("/", hazards_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "Your role does not allow this."}, status=403)


@api.exception_handler(ValidationError)
def schema_invalid(request, exc):
    """A request the schema refuses (a missing field, a limit past the maximum): the same
    error shape as every other, each message under the field's dotted location."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        parts = list(error.get("loc", ()))
        if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
            parts = parts[1:]
        location = ".".join(str(part) for part in parts)
        errors.setdefault(location or "request", []).append(str(error.get("msg", "")))
    body = {"detail": "The request has errors.", "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(ApiValidationError)
def invalid(request, exc):
    body = {"detail": "The request has errors.", "errors": exc.errors}
    return api.create_response(request, body, status=422)
