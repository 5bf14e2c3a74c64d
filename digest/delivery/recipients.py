"""Who gets an issue: reading and validating a recipients file.

Two shapes, told apart by the first line: a CSV file whose header has an ``email``
column (and optionally ``name``), or one address a line (``Name <address>`` too;
blank lines and ``#`` comments are skipped). Each address is checked for syntax with
email-validator (no network); a bad line is reported by its number and skipped, and
an address given twice (in any letter case) is kept once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

from digest.models import Problem

if TYPE_CHECKING:
    from digest.config import Settings


class RecipientsError(Exception):
    """The recipients file cannot be used at all; ``str()`` names it and says why."""


@dataclass(frozen=True)
class Recipient:
    """One reader: an address that passed the syntax check, and an optional name."""

    email: str
    name: str = ""

    @property
    def key(self) -> str:
        """The address as the ledger knows it: two spellings of one address are one."""
        return self.email.casefold()

    @property
    def address(self) -> str:
        """For the To header: ``Name <email>``, or the bare address."""
        return formataddr((self.name, self.email)) if self.name else self.email


@dataclass(frozen=True)
class RecipientList:
    recipients: list[Recipient] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def readers_for(settings: Settings) -> RecipientList:
    """Who gets ``settings``' issues: the recipients file's readers, or, without one,
    the list address ``to`` as the one reader (the ``.eml`` as written)."""
    if settings.recipients is not None:
        return read_recipients(settings.recipients)
    name, email = parseaddr(settings.to)
    return RecipientList([Recipient(email, name)])


def read_recipients(path: Path) -> RecipientList:
    """The readers listed in ``path`` (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecipientsError(f"{path}: recipients file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipientsError(f"{path}: cannot read the recipients file ({exc})") from None
    result = parse_recipients(text, str(path))
    if not result.recipients:
        raise RecipientsError(f"{path}: no valid address in the recipients file")
    return result


def parse_recipients(text: str, label: str) -> RecipientList:
    """``text`` as a recipients file named ``label`` in any problem it reports."""
    rows = _csv_rows(text) if _is_csv(text) else _line_rows(text)
    recipients: list[Recipient] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    duplicates = 0
    for number, email, name in rows:
        checked = check_address(email)
        if isinstance(checked, Problem):
            problems.append(Problem(f"{label}, line {number}", checked.message, "warning"))
            continue
        recipient = Recipient(checked, " ".join(name.split()))
        if recipient.key in seen:
            duplicates += 1
            continue
        seen.add(recipient.key)
        recipients.append(recipient)
    if duplicates:
        message = f"{duplicates} repeated address(es) kept once"
        problems.append(Problem(label, message, "warning"))
    return RecipientList(recipients, problems)


def check_address(email: str) -> str | Problem:
    """``email`` normalised, or a ``Problem`` saying what is wrong with it."""
    from email_validator import EmailNotValidError, validate_email

    if not email.strip():
        return Problem("", "no address")
    try:
        # Syntax only: a DNS lookup per reader would make a send depend on the network
        # twice, and the SMTP server says soon enough which mailboxes do not exist.
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        return Problem("", f"{email.strip()!r} is not a valid address: {exc}")
    return result.ascii_email or result.normalized


def _is_csv(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "@" in first:
        return False
    cells = [cell.strip().strip('"').casefold() for cell in first.replace(";", ",").split(",")]
    return "email" in cells


def _csv_rows(text: str) -> list[tuple[int, str, str]]:
    header = next(line for line in text.splitlines() if line.strip())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(header, ",;\t")
    except csv.Error:  # a lone "email" column has no delimiter to find
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text.lstrip("\r\n")), dialect=dialect)
    columns = {name.strip().casefold(): name for name in reader.fieldnames or []}
    rows = []
    for record in reader:
        email = (record.get(columns["email"]) or "").strip()
        name = (record.get(columns["name"]) or "") if "name" in columns else ""
        if email or any((value or "").strip() for value in record.values()):
            rows.append((reader.line_num, email, name.strip()))
    return rows


def _line_rows(text: str) -> list[tuple[int, str, str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, email = parseaddr(line) if "<" in line else ("", line)
        rows.append((number, email or line, name))
    return rows
