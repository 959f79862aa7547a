"""Sealing field packages and sync bundles: AES-256-GCM from the `cryptography` package.

A sealed file is `MAWA1\\n`, a 4-byte header length, a JSON header in clear (who sent it, to
whom, which sequence numbers), a 12-byte random nonce and the AES-GCM ciphertext of the
zlib-compressed body. The header is authenticated as associated data, so changing one byte of
it or of the body fails the tag, and a bundle sealed with another node's key does not open.
Bundles use the node's 256-bit key shared with headquarters; a package, which carries that key
to the laptop, is sealed with a key derived from a passphrase by scrypt.
"""

import base64
import json
import os
import struct
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext as _

MAGIC = b"MAWA1\n"
KEY_BYTES = 32
SCRYPT_N = 2**15


class SealError(Exception):
    """The file is not a Mawa package or bundle, was changed, or is not for this key."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def passphrase_key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=SCRYPT_N, r=8, p=1).derive(passphrase.encode())


def seal(key: bytes, header: dict, body: bytes) -> bytes:
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    nonce = os.urandom(12)
    cipher = AESGCM(key).encrypt(nonce, zlib.compress(body, 6), MAGIC + head)
    return MAGIC + struct.pack(">I", len(head)) + head + nonce + cipher


def _split(blob: bytes) -> tuple[bytes, dict, bytes, bytes]:
    """The header's bytes, the header, the nonce and the ciphertext of a sealed file."""
    start = len(MAGIC) + 4
    if not blob.startswith(MAGIC) or len(blob) < start:
        raise SealError(_("This is not a Mawa package or sync bundle."))
    (length,) = struct.unpack(">I", blob[len(MAGIC) : start])
    if length > 65536 or len(blob) < start + length + 12 + 16:
        raise SealError(_("The file is cut short or damaged."))
    head = blob[start : start + length]
    try:
        header = json.loads(head)
    except ValueError as exc:
        raise SealError(_("The file is cut short or damaged.")) from exc
    if not isinstance(header, dict):
        raise SealError(_("The file is cut short or damaged."))
    return head, header, blob[start + length : start + length + 12], blob[start + length + 12 :]


def read_header(blob: bytes) -> dict:
    """The clear header of a sealed file, not yet authenticated."""
    return _split(blob)[1]


def unseal(blob: bytes, key: bytes) -> tuple[dict, bytes]:
    """Header and body of a sealed file; SealError if anything in it was changed."""
    head, header, nonce, cipher = _split(blob)
    try:
        body = zlib.decompress(AESGCM(key).decrypt(nonce, cipher, MAGIC + head))
    except (InvalidTag, zlib.error) as exc:
        raise SealError(
            _("The file was changed after it was made, or it is not meant for this place.")
        ) from exc
    return header, body


def seal_with_passphrase(passphrase: str, header: dict, body: bytes) -> bytes:
    salt = os.urandom(16)
    header = {**header, "salt": base64.b64encode(salt).decode()}
    return seal(passphrase_key(passphrase, salt), header, body)


def unseal_with_passphrase(blob: bytes, passphrase: str) -> tuple[dict, bytes]:
    header = read_header(blob)
    try:
        salt = base64.b64decode(header["salt"])
    except (KeyError, ValueError, TypeError) as exc:
        raise SealError(_("This is not a Mawa field package.")) from exc
    try:
        return unseal(blob, passphrase_key(passphrase, salt))
    except SealError as exc:
        raise SealError(_("Wrong passphrase, or the package was changed.")) from exc
