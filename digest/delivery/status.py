"""What the ledgers say: per issue in an outbox, who was sent, refused, or waits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from digest import outbox
from digest.delivery import ledger


@dataclass(frozen=True)
class IssueDelivery:
    folder: Path
    number: int
    sent: int
    failed: int
    unconfirmed: int
    pending: int
    runs: int
    finished: bool

    @property
    def state(self) -> str:
        if not self.runs:
            return "not sent"
        return "sent" if self.finished else "in progress (run digest send to go on)"

    def as_dict(self) -> dict[str, object]:
        return {
            "issue": self.folder.name,
            "number": self.number,
            "state": "not sent" if not self.runs else ("sent" if self.finished else "partial"),
            "sent": self.sent,
            "failed": self.failed,
            "unconfirmed": self.unconfirmed,
            "pending": self.pending,
        }


def delivery_status(folder: Path) -> list[IssueDelivery]:
    """Every issue in the outbox ``folder``, oldest first."""
    rows = []
    for issue in outbox.history(folder):
        state = ledger.replay(issue.folder)
        rows.append(
            IssueDelivery(
                issue.folder,
                issue.number,
                state.count("sent"),
                state.count("failed"),
                state.count("unconfirmed"),
                state.pending,
                state.runs,
                state.finished,
            )
        )
    return rows


def newest_unsent(folder: Path) -> Path | None:
    """The newest issue whose delivery has not finished (never started, or stopped)."""
    for issue in reversed(outbox.history(folder)):
        if not ledger.replay(issue.folder).finished:
            return issue.folder
    return None
