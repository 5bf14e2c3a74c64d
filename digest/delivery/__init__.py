"""Delivery: an issue from the outbox to its readers, each exactly once.

- ``recipients``: who (a recipients file, checked and deduplicated);
- ``messages``: each reader's own copy of the written ``issue.eml``, DKIM-signed
  if asked;
- ``tokens``: the signed per-reader unsubscribe token;
- ``smtp``: one connection and one mail transaction, and what answers mean;
- ``ledger``: ``delivery.jsonl``, the append-only record that makes sends resumable;
- ``send``: ``deliver``, the run itself (parallel connections, pace, retries);
- ``status``: what the ledgers say, per issue.
"""

from __future__ import annotations

from digest.delivery.recipients import (
    Recipient,
    RecipientList,
    RecipientsError,
    parse_recipients,
    read_recipients,
    readers_for,
)
from digest.delivery.send import (
    DeliveryReport,
    deliver,
    reader_copy,
    send_test_copy,
)
from digest.delivery.smtp import SendFailed
from digest.delivery.status import IssueDelivery, delivery_status, newest_unsent
from digest.delivery.tokens import make_token, verify_token

__all__ = [
    "DeliveryReport",
    "IssueDelivery",
    "Recipient",
    "RecipientList",
    "RecipientsError",
    "SendFailed",
    "deliver",
    "delivery_status",
    "make_token",
    "newest_unsent",
    "parse_recipients",
    "read_recipients",
    "reader_copy",
    "readers_for",
    "send_test_copy",
    "verify_token",
]
