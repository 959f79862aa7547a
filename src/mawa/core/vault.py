"""Sensitive fields encrypted at rest, with keys kept outside the database.

Some values must not be readable by whoever holds a copy of the database or of its backups:
the circumstances of a tracing case, a complainant's identity. They are stored as tokens
`v1:<key id>:<base64 nonce + AES-256-GCM ciphertext>` (the `cryptography` package; nothing
hand-rolled beyond choosing the layout). The keys are files in `MAWA_KEY_DIR` (default
`DATA_DIR/keys`), one 32-byte random key a file, never in the database.

- `encrypt(text)` uses the `default` key; `encrypt(text, key_id=…)` a key of its own:
  `key_new()` makes one for a record (a tracing case), and `key_destroy(key_id)` erases it, so
  every value sealed with it is gone for good, in every backup of the database too
  (crypto-shredding). `decrypt` then answers None.
- `EncryptedTextField` is a TextField whose values are sealed with the default key on the way
  to the database and opened on the way back.

Each key id is a UUID; the file name is that id. Back the key directory up separately from the
database (and never into the same place), or a lost disk loses the values with it.
"""

import base64
import os
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

PREFIX = "v1:"
DEFAULT = "default"
_cache: dict[tuple[str, str], bytes] = {}


class VaultError(Exception):
    """A token is not a vault token, or was changed."""


def key_dir() -> Path:
    path = Path(getattr(settings, "MAWA_KEY_DIR", "") or Path(settings.DATA_DIR) / "keys")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(key_id: str) -> Path:
    if key_id != DEFAULT:
        key_id = str(uuid.UUID(key_id))  # a key id is a UUID: never a path of the caller's
    return key_dir() / key_id


def _key(key_id: str, *, create: bool = False) -> bytes | None:
    path = _path(key_id)
    found = _cache.get((str(path.parent), key_id))
    if found is not None and path.exists():
        return found
    if not path.exists():
        if not create:
            return None
        key = AESGCM.generate_key(bit_length=256)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(key)
    key = path.read_bytes()
    _cache[(str(path.parent), key_id)] = key
    return key


def key_new() -> str:
    """A new key for one record; its id is stored beside the record."""
    key_id = str(uuid.uuid4())
    _key(key_id, create=True)
    return key_id


def key_destroy(key_id: str) -> None:
    """Erase a record's key: what was sealed with it can never be read again."""
    path = _path(key_id)
    _cache.pop((str(path.parent), key_id), None)
    path.unlink(missing_ok=True)


def encrypt(text: str, *, key_id: str = DEFAULT) -> str:
    if text == "":
        return ""
    key = _key(key_id, create=key_id == DEFAULT)
    if key is None:
        raise VaultError(f"no key {key_id}")
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, text.encode(), key_id.encode())
    return f"{PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str | None:
    """The text a token holds; None when its key was destroyed (the value is erased)."""
    if token == "":
        return ""
    if not token.startswith(PREFIX):
        raise VaultError("not a vault token")
    try:
        key_id, body = token[len(PREFIX) :].split(":", 1)
        raw = base64.b64decode(body)
        key = _key(key_id)
        if key is None:
            return None
        return AESGCM(key).decrypt(raw[:12], raw[12:], key_id.encode()).decode()
    except (ValueError, InvalidTag) as exc:
        raise VaultError("the token was changed or is damaged") from exc


class EncryptedTextField(models.TextField):
    """Text sealed with the default key in the database; plain text in Python."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)
