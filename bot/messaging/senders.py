"""Conversation ids of messaging senders: a phone number or a platform account
id is personal data, so the tracker store gets a keyed hash of it (HMAC-SHA256
with SENDER_HASH_KEY). The same sender always gets the same id, so a
conversation stays continuous; without the key the id cannot be traced back.
Plain Python (used by the purge command too)."""
from __future__ import annotations

import hashlib
import hmac


def pseudonym(key: str, channel: str, raw_sender: str) -> str:
    """"twilio-3f9a…" (32 hex digits) for ("twilio", "+33612345678")."""
    digest = hmac.new(key.encode(), f"{channel}:{raw_sender}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:32]}"
