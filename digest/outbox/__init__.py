"""The outbox: finished issues on disk, each in its own dated folder.

Everything on disk under ``outbox/`` is here, one module a concern:

- ``issues``: the folder layout (``outbox/2026-11-24-001/issue.{html,txt,eml,json}``),
  what was already published (``history``, ``read_issue``, ``next_number``), the
  ``issue.json`` record, and writing a new issue atomically (``write_issue``): staged,
  fsynced and renamed into place, so an issue folder exists whole or not at all, and
  an existing issue is never overwritten;
- ``files``: one issue's four forms as ``IssueFiles`` (``load_issue_files``,
  ``files_from_rendered``) and finding an issue by reference (``find_issue``);
- ``locks``: the outbox lock, held by whoever assigns an issue number until the issue
  is in place, so two writers can never produce a duplicate or a gap; the archive's
  lock, the daemon's (one daemon per outbox) and an issue's send lock;
- ``skipped``: the record of the schedule slot the daemon last skipped, and
  ``slot_handled``;
- ``atomic``: files written so a reader sees all or nothing (``replace_file``).

The web archive (``digest.archive``) lives in ``outbox/archive/``, a folder of its own
that is published as is; it is derived data, rebuilt from the issue folders and
written file by file with ``replace_file`` under ``archive_lock``. Issue discovery
never mistakes it (or anything not named like an issue) for an issue.

Callers use the names below through ``digest.outbox`` (``outbox.write_issue``…).
"""

from __future__ import annotations

from digest.outbox.atomic import replace_file
from digest.outbox.files import (
    IssueFiles,
    files_from_rendered,
    find_issue,
    issue_files_from,
    load_issue_files,
)
from digest.outbox.issues import (
    ARCHIVE_NAME,
    EML_FILE,
    FILES,
    HTML_FILE,
    JSON_FILE,
    STAGING_PREFIX,
    TEXT_FILE,
    DamagedIssue,
    IssueExists,
    OutboxError,
    PublishedIssue,
    clean_staging,
    history,
    issue_contents,
    issue_folders,
    issue_json,
    next_number,
    published_fingerprints,
    published_ids,
    read_issue,
    write_issue,
)
from digest.outbox.locks import (
    ARCHIVE_LOCK_NAME,
    DAEMON_LOCK_NAME,
    LOCK_NAME,
    SEND_LOCK_NAME,
    DaemonBusy,
    OutboxBusy,
    SendBusy,
    archive_lock,
    daemon_lock,
    lock,
    send_lock,
)
from digest.outbox.skipped import SKIPPED_NAME, read_skipped, record_skipped, slot_handled

__all__ = [
    "ARCHIVE_LOCK_NAME",
    "ARCHIVE_NAME",
    "DAEMON_LOCK_NAME",
    "EML_FILE",
    "FILES",
    "HTML_FILE",
    "JSON_FILE",
    "LOCK_NAME",
    "SEND_LOCK_NAME",
    "SKIPPED_NAME",
    "STAGING_PREFIX",
    "TEXT_FILE",
    "DaemonBusy",
    "DamagedIssue",
    "IssueExists",
    "IssueFiles",
    "OutboxBusy",
    "OutboxError",
    "PublishedIssue",
    "SendBusy",
    "archive_lock",
    "clean_staging",
    "daemon_lock",
    "files_from_rendered",
    "find_issue",
    "history",
    "issue_contents",
    "issue_files_from",
    "issue_folders",
    "issue_json",
    "load_issue_files",
    "lock",
    "next_number",
    "published_fingerprints",
    "published_ids",
    "read_issue",
    "read_skipped",
    "record_skipped",
    "replace_file",
    "send_lock",
    "slot_handled",
    "write_issue",
]
