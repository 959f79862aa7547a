"""What the JSON API accepts as text, and what its errors look like.

Text that no database can store is refused before any view sees it, with a 400 in the shape
every error has ({"detail": ..., "errors": {...}}): a lone surrogate (JSON allows `\\ud800`,
UTF-8 cannot encode it) and the NUL character (PostgreSQL refuses it in text), in a JSON body
or a query parameter."""

import json

from ninja.errors import HttpError
from ninja.parser import Parser

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["detail"],
}
ERROR_STATUSES = {
    400: "The request cannot be read (malformed JSON, or text no database can store).",
    401: "No valid token or session.",
    403: "The user's role does not allow this.",
    404: "Not found, or outside the user's sites.",
    422: "The request has errors; `errors` says which, field by field.",
}


def unstorable(value) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(unstorable(v) for v in value)
    return False


class StorableJsonParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if unstorable(data):
            raise ValueError("text with a NUL character or a lone surrogate")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if unstorable(result):
            raise HttpError(400, "A parameter holds a character that cannot be stored (NUL).")
        return result


def document_errors(schema: dict) -> dict:
    """Every operation may answer 400, 401, 403, 404 and 422 with an error body: say so in the
    OpenAPI schema. A status an operation documents with its own body may also carry the error
    body (a 404 before the operation's own outcome is known)."""
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                found = responses.get(str(status))
                if found is None:
                    responses[str(status)] = {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    }
                    continue
                content = found.setdefault("content", {}).setdefault("application/json", {})
                own = content.get("schema")
                if own and own != ERROR_SCHEMA:
                    content["schema"] = {"anyOf": [own, ERROR_SCHEMA]}
                else:
                    content["schema"] = ERROR_SCHEMA
    return schema
