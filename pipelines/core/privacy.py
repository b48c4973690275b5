"""Pseudonyms for child-level rows that leave the warehouse.

A keyed HMAC-SHA256 of the LA code and the id, never a plain hash: a plain hash of a six-digit child
id can be reversed by hashing every possible id, a keyed one cannot without the key. The key comes
from CSC_PSEUDONYM_KEY and is never stored with the data; without it, child-level data is not exported.
"""

from __future__ import annotations

import hashlib
import hmac

KEY_VARIABLE = "CSC_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16


class PseudonymKeyMissing(RuntimeError):
    pass


def pseudonym_key(key: str | None) -> bytes:
    """The key as bytes, or a refusal that says how to provide one (the settings' pseudonym_key)."""
    key = key or ""
    if len(key) < MIN_KEY_LENGTH:
        raise PseudonymKeyMissing(
            f"child-level data is only exported with a pseudonymisation key: set {KEY_VARIABLE} to a secret "
            f"of at least {MIN_KEY_LENGTH} characters (and keep it out of the export)"
        )
    return key.encode()


def pseudonymise(key: bytes, la_code: str, identifier: str) -> str:
    """The same child in the same LA always gets the same pseudonym under one key."""
    message = f"{la_code}:{identifier}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
