"""Reading an inbound SMS as posted by RapidPro's "Call webhook" action or a plain SMS gateway.

RapidPro's default webhook body (JSON) carries `contact` {uuid, name, urn, language?},
`results`, `run`, `input` {uuid, urn, text, ...} and `channel`: the message id is `input.uuid`,
the sender `input.urn` (else `contact.urn`), the text `input.text`. A flow may also put a
`category` and a `site` (a site code) among its results: `results.category.value`.
A plain gateway posts JSON or a form with `id` (or `message_id`), `from` (or `sender`, `phone`)
and `text` (or `message`), and optionally `category`, `site` and `language`.
"""

import json
import re
from dataclasses import dataclass

from mawa.feedback.models import Category, Language

KURDISH_LETTERS = re.compile("[پچژگڤکەێۆڕڵ]")
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
ISO639_3 = {"ara": "ar", "arb": "ar", "ckb": "ckb", "kur": "ckb", "eng": "en"}


class SmsError(ValueError):
    pass


@dataclass
class Inbound:
    message_id: str
    sender: str
    text: str
    language: str
    category: str
    site_code: str


def _first(*values) -> str:
    for value in values:
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    return ""


def _result(results, name: str) -> str:
    if not isinstance(results, dict):
        return ""
    found = results.get(name)
    if isinstance(found, dict):
        return _first(found.get("value"), found.get("category"))
    return _first(found)


def guess_language(text: str) -> str:
    if KURDISH_LETTERS.search(text):
        return Language.CKB
    if ARABIC_SCRIPT.search(text):
        return Language.AR
    return Language.EN


def parse(body: bytes, content_type: str, form) -> Inbound:
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError) as error:
            raise SmsError("The body is not JSON.") from error
        if not isinstance(data, dict):
            raise SmsError("The body must be a JSON object.")
    else:
        data = {key: form.get(key) for key in form}
    given = data.get("input") if isinstance(data.get("input"), dict) else {}
    contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    results = data.get("results")
    message_id = _first(given.get("uuid"), data.get("id"), data.get("message_id"))
    sender = _first(given.get("urn"), contact.get("urn"))
    sender = sender or _first(data.get("from"), data.get("sender"), data.get("phone"))
    text = _first(given.get("text"), data.get("text"), data.get("message"))
    if not message_id:
        raise SmsError("The message has no id (input.uuid, id or message_id).")
    if len(message_id) > 100:
        raise SmsError("The message id is longer than 100 characters.")
    if not text:
        raise SmsError("The message has no text.")
    language = _first(data.get("language"), _result(results, "language"), contact.get("language"))
    language = ISO639_3.get(language, language)
    if language not in Language.values:
        language = guess_language(text)
    category = _first(data.get("category"), _result(results, "category")).lower()
    if category not in Category.values:
        category = Category.OTHER
    return Inbound(
        message_id=message_id[:100],
        sender=sender.removeprefix("tel:")[:40],
        text=text[:2000],
        language=language,
        category=category,
        site_code=_first(data.get("site"), _result(results, "site"))[:40],
    )
