"""Delivery: real messages to a real SMTP server on 127.0.0.1, each reader once.

The server (``tests/smtp_server.py``, aiosmtpd) keeps what it accepts; every test
parses what arrived with the ``email`` package and compares it with the issue's own
files, and the ledger is read back from disk.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from digest.config import Settings, load_settings
from digest.delivery import (
    Recipient,
    SendFailed,
    deliver,
    delivery_status,
    ledger,
    parse_recipients,
    read_recipients,
    verify_token,
)
from digest.delivery.messages import Template, personal_copy
from digest.delivery.recipients import RecipientsError
from digest.outbox import EML_FILE, HTML_FILE, TEXT_FILE, SendBusy, send_lock
from digest.pipeline import publish
from tests.conftest import SEEDS
from tests.helpers import run_digest, self_signed
from tests.smtp_server import Behaviour, free_port, smtp_server

UNSUBSCRIBE = "https://example.com/unsubscribe?t={token}"
SECRET = "a-long-random-secret"


def settings_for(outbox: Path, port: int, **values: object) -> Settings:
    defaults: dict[str, object] = {
        "sources": [str(SEEDS)],
        "outbox": outbox,
        "unsubscribe_url": UNSUBSCRIBE,
        "unsubscribe_secret": SECRET,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "send_retry_seconds": 0.01,
    }
    return Settings(**(defaults | values))  # type: ignore[arg-type]


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    """A published seed issue whose unsubscribe URL wants each reader's token."""
    outcome = publish(settings_for(tmp_path / "outbox", 25), now=dt.datetime.now(dt.UTC))
    assert outcome.folder is not None
    return outcome.folder


def readers(n: int) -> list[Recipient]:
    return [Recipient(f"reader{i}@example.com", f"Reader {i}") for i in range(n)]


def parts(raw: bytes) -> tuple[str, str]:
    """The plain text and HTML of a message, as the files hold them (LF line ends)."""
    msg = message_from_bytes(raw, policy=policy.default)
    return tuple(  # type: ignore[return-value]
        msg.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html")
    )


# --- recipients ------------------------------------------------------------------


def test_a_csv_file_keeps_names_reports_bad_lines_by_number_and_collapses_repeats() -> None:
    text = (
        "email,name\nann@example.com,Ann\nbob@,Bob\nANN@example.com,Ann again\n"
        '"c@example.org","Smith, C"\n'
    )
    listed = parse_recipients(text, "readers.csv")
    assert [(r.email, r.name) for r in listed.recipients] == [
        ("ann@example.com", "Ann"),
        ("c@example.org", "Smith, C"),
    ]
    messages = [str(p) for p in listed.problems]
    assert messages[0].startswith("readers.csv, line 3: 'bob@' is not a valid address")
    assert messages[1] == "readers.csv: 1 repeated address(es) kept once"


def test_a_plain_list_takes_one_address_a_line_with_comments_and_names(tmp_path: Path) -> None:
    path = tmp_path / "readers.txt"
    path.write_text(
        "# our readers\nann@example.com\n\nBob Jones <bob@example.com>\nnot-an-address\n"
    )
    listed = read_recipients(path)
    assert [r.address for r in listed.recipients] == [
        "ann@example.com",
        "Bob Jones <bob@example.com>",
    ]
    assert [p.source for p in listed.problems] == [f"{path}, line 5"]
    path.write_text("nobody\n")
    with pytest.raises(RecipientsError, match="no valid address"):
        read_recipients(path)
    with pytest.raises(RecipientsError, match="recipients file not found"):
        read_recipients(tmp_path / "missing.csv")


# --- one copy per reader ------------------------------------------------------------


def test_each_reader_gets_their_own_to_message_id_and_signed_unsubscribe(issue: Path) -> None:
    written_text = (issue / TEXT_FILE).read_text(encoding="utf-8")
    written_html = (issue / HTML_FILE).read_text(encoding="utf-8")
    assert UNSUBSCRIBE in written_text and html.escape(UNSUBSCRIBE) in written_html
    with smtp_server() as (server, port):
        report = deliver(issue, settings_for(issue.parent, port), readers(3))
    assert report.sent == 3 and not report.failed
    ids = set()
    for received in server.received:
        msg = received.message
        assert msg["To"].addresses[0].addr_spec == received.to
        ids.add(msg["Message-ID"])
        url = str(msg["List-Unsubscribe"]).strip("<>")
        # On the wire as the URL itself, one line: a mail client's one-click button
        # cannot use encoded words (=?utf-8?q?…), which long URLs once became.
        assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in received.data
        token = url.rpartition("t=")[2]
        list_id = settings_for(issue.parent, 25).list_id
        assert verify_token(SECRET, list_id, token) == received.to
        assert verify_token("another secret", list_id, token) is None
        # The body is the issue as written, but for the reader's own token.
        text, page = parts(received.data)
        assert text == written_text.replace(UNSUBSCRIBE, url)
        assert page == written_html.replace(html.escape(UNSUBSCRIBE), html.escape(url))
    assert len(ids) == 3


def test_without_a_token_the_copy_is_the_written_eml_but_for_to_and_message_id(
    issue: Path,
) -> None:
    eml = (issue / EML_FILE).read_bytes()
    template = Template.parse(eml)
    copy = personal_copy(template, to="ann@example.com", message_id="<x.1@example.com>")
    assert copy.partition(b"\r\n\r\n")[2] == eml.partition(b"\r\n\r\n")[2]
    original = message_from_bytes(eml, policy=policy.default)
    mine = message_from_bytes(copy, policy=policy.default)
    changed = [k for k in original if original[k] != mine[k]]
    assert changed == ["To", "Message-ID"]


def test_dkim_signature_verifies_with_the_public_key(issue: Path, tmp_path: Path) -> None:
    import base64

    import dkim
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "dkim.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"news._domainkey.example.com."
        return record

    settings = settings_for(issue.parent, 25, dkim_key_file=key_file, dkim_selector="news")
    with smtp_server() as (server, port):
        deliver(issue, settings.model_copy(update={"smtp_port": port}), readers(1))
    raw = server.received[0].data
    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=dns)
    assert not dkim.verify(raw.replace(b"Subject: The", b"Subject: A"), dnsfunc=dns)


# --- refusals, retries, drops ------------------------------------------------------


def test_refused_and_greylisted_readers_do_not_stop_the_batch(issue: Path) -> None:
    behaviour = Behaviour(refuse={"reader1@example.com"}, defer_once={"reader2@example.com"})
    with smtp_server(behaviour) as (server, port):
        report = deliver(issue, settings_for(issue.parent, port), readers(5))
        assert [server.count(f"reader{i}@example.com") for i in range(5)] == [1, 0, 1, 1, 1]
    assert report.sent == 4
    assert report.failed == [("reader1@example.com", "refused: 550 5.1.1 No such mailbox")]
    state = ledger.replay(issue).readers
    assert state["reader1@example.com"].status == "failed"
    assert state["reader2@example.com"].status == "sent"
    assert state["reader2@example.com"].attempts == 1  # one 451, then accepted


def test_a_reader_the_server_keeps_putting_off_fails_after_send_attempts(issue: Path) -> None:
    class AlwaysLater(set[str]):
        def __contains__(self, item: object) -> bool:
            return item == "reader0@example.com"

    behaviour = Behaviour(defer_once=AlwaysLater())
    with smtp_server(behaviour) as (server, port):
        server.deferred = set()  # never remembered: 451 every time

        class Forget(set[str]):
            def add(self, item: str) -> None:
                pass

        server.deferred = Forget()
        report = deliver(issue, settings_for(issue.parent, port, send_attempts=3), readers(2))
    assert report.sent == 1
    assert report.failed[0][0] == "reader0@example.com"
    assert report.failed[0][1].startswith("gave up after 3 tries: 451")


def test_a_server_that_drops_the_connection_gets_everyone_once(issue: Path) -> None:
    with smtp_server(Behaviour(drop_every=4)) as (server, port):
        settings = settings_for(issue.parent, port, send_connections=2)
        report = deliver(issue, settings, readers(25))
        counts = [server.count(f"reader{i}@example.com") for i in range(25)]
    assert report.sent == 25 and counts == [1] * 25


def test_connections_are_reused_for_many_messages(issue: Path) -> None:
    with smtp_server() as (server, port):
        report = deliver(issue, settings_for(issue.parent, port, send_connections=3), readers(40))
        assert report.sent == 40
        assert 1 <= server.greetings <= 3  # one EHLO per connection, not per message


def test_a_stopped_run_goes_on_where_it_ended_and_sends_nobody_twice(issue: Path) -> None:
    stop = threading.Event()

    def stop_after_ten(done: int, total: int) -> None:
        if done >= 10:
            stop.set()

    with smtp_server() as (server, port):
        settings = settings_for(issue.parent, port)
        first = deliver(issue, settings, readers(30), progress=stop_after_ten, stop=stop)
        assert first.left > 0 and delivery_status(issue.parent)[-1].pending == first.left
        second = deliver(issue, settings, readers(30))
        counts = [server.count(f"reader{i}@example.com") for i in range(30)]
    assert first.sent + second.sent == 30 and counts == [1] * 30
    assert ledger.replay(issue).finished


def test_one_sender_per_issue(issue: Path) -> None:
    with send_lock(issue), pytest.raises(SendBusy, match="another digest send"):
        deliver(issue, settings_for(issue.parent, 25), readers(1))


def test_a_torn_last_ledger_line_is_ignored_and_the_next_entry_starts_afresh(
    issue: Path,
) -> None:
    with ledger.Ledger(issue) as book:
        book.record("ann@example.com", "sent", code=250)
    with (issue / ledger.LEDGER_FILE).open("ab") as file:
        file.write(b'{"to": "bob@example.com", "sta')  # killed mid-write
    with ledger.Ledger(issue) as book:
        book.record("cy@example.com", "sent", code=250)
    assert set(ledger.replay(issue).readers) == {"ann@example.com", "cy@example.com"}


# --- the command ---------------------------------------------------------------------


def write_config(folder: Path, port: int, **values: object) -> Path:
    lines = [
        f'sources = ["{SEEDS}"]',
        'outbox = "outbox"',
        f'unsubscribe_url = "{UNSUBSCRIBE}"',
        'smtp_host = "127.0.0.1"',
        f"smtp_port = {port}",
        "send_retry_seconds = 0.01",
    ]
    lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path = folder / "digest.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def send_env(**more: str) -> dict[str, str]:
    return {"DIGEST_UNSUBSCRIBE_SECRET": SECRET, **more}


def test_digest_send_reports_refusals_and_the_status_tells_per_issue(tmp_path: Path) -> None:
    (tmp_path / "readers.csv").write_text(
        "email,name\nann@example.com,Ann\nbad line\nbob@example.com,Bob\nno@example.com,No\n"
    )
    with smtp_server(Behaviour(refuse={"no@example.com"})) as (server, port):
        write_config(tmp_path, port, smtp_security="none", recipients="readers.csv")
        assert run_digest("render", cwd=tmp_path).returncode == 0
        dry = run_digest("send", "--dry-run", cwd=tmp_path, env=send_env())
        assert dry.returncode == 0 and "would send" in dry.stdout and "3 of 3" in dry.stdout
        assert not server.received
        sent = run_digest("send", cwd=tmp_path, env=send_env())
        again = run_digest("send", cwd=tmp_path, env=send_env())
        status = run_digest("send", "--status", "--json", cwd=tmp_path, env=send_env())
    assert sent.returncode == 1, sent.stderr  # a reader was refused for good
    assert "readers.csv, line 3: 'bad line' is not a valid address" in sent.stderr
    assert "no@example.com: refused: 550 5.1.1 No such mailbox" in sent.stderr
    assert "sent 2, failed 1" in sent.stdout
    assert again.returncode == 0 and "nothing to send" in again.stdout
    assert sorted(r.to for r in server.received) == ["ann@example.com", "bob@example.com"]
    [row] = [json.loads(line) for line in status.stdout.splitlines()]
    assert row | {"issue": None} == {
        "newsletter": "The Digest",
        "issue": None,
        "number": 1,
        "state": "sent",
        "sent": 2,
        "failed": 1,
        "unconfirmed": 0,
        "pending": 0,
    }


def test_a_test_copy_goes_to_one_address_and_is_recorded_nowhere(tmp_path: Path) -> None:
    with smtp_server() as (server, port):
        write_config(tmp_path, port, smtp_security="none")
        run_digest("render", cwd=tmp_path)
        result = run_digest("send", "--to", "me@example.com", cwd=tmp_path, env=send_env())
        assert result.returncode == 0, result.stderr
        assert [r.to for r in server.received] == ["me@example.com"]
    assert not list((tmp_path / "outbox").glob("*/delivery.jsonl"))
    bad = run_digest("send", "--to", "me@", cwd=tmp_path, env=send_env())
    assert bad.returncode == 2 and "--to: 'me@' is not a valid address" in bad.stderr


def test_a_refused_login_is_one_clear_line(tmp_path: Path) -> None:
    behaviour = Behaviour(user="digest", password="right")
    with smtp_server(behaviour) as (server, port):
        write_config(tmp_path, port, smtp_security="none", smtp_user="digest")
        run_digest("render", cwd=tmp_path)
        wrong = run_digest("send", cwd=tmp_path, env=send_env(DIGEST_SMTP_PASSWORD="wrong"))
        right = run_digest("send", cwd=tmp_path, env=send_env(DIGEST_SMTP_PASSWORD="right"))
    assert wrong.returncode == 1
    [line] = wrong.stderr.strip().splitlines()
    assert f"127.0.0.1:{port}: the server refused the login for 'digest' (535" in line
    assert "DIGEST_SMTP_PASSWORD" in line
    assert right.returncode == 0, right.stderr
    assert len(server.received) == 1


def test_a_password_in_a_config_file_inside_the_project_is_refused(tmp_path: Path) -> None:
    write_config(tmp_path, 25, smtp_password="hunter2")
    result = run_digest("send", "--dry-run", cwd=tmp_path)
    assert result.returncode == 2
    assert "digest.toml: smtp_password must not be kept in a config file inside the project" in (
        result.stderr
    )
    assert "DIGEST_SMTP_PASSWORD" in result.stderr


def test_a_password_in_a_config_file_outside_the_project_is_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    elsewhere = tmp_path_factory.mktemp("etc")  # not under the working folder, no .git
    config = write_config(elsewhere, 25, smtp_password="hunter2")
    assert load_settings(config).smtp_password.get_secret_value() == "hunter2"  # type: ignore[union-attr]


def test_starttls_with_the_servers_own_certificate(issue: Path, tmp_path: Path) -> None:
    context, cert_file = self_signed(tmp_path)
    behaviour = Behaviour(user="digest", password="right")
    with smtp_server(behaviour, tls=context) as (server, port):
        settings = settings_for(
            issue.parent,
            port,
            smtp_security="starttls",
            smtp_user="digest",
            smtp_password="right",
            smtp_ca_file=cert_file,
        )
        with pytest.raises(SendFailed, match="TLS failed: CERTIFICATE_VERIFY_FAILED"):
            deliver(issue, settings.model_copy(update={"smtp_ca_file": None}), readers(1))
        report = deliver(issue, settings, readers(2))
    assert report.sent == 2 and len(server.received) == 2


def test_implicit_tls_from_the_first_byte(issue: Path, tmp_path: Path) -> None:
    context, cert_file = self_signed(tmp_path)
    with smtp_server(implicit_tls=context) as (server, port):
        settings = settings_for(issue.parent, port, smtp_security="tls", smtp_ca_file=cert_file)
        report = deliver(issue, settings, readers(2))
    assert report.sent == 2 and len(server.received) == 2


def test_an_unreachable_server_stops_the_run_without_failing_any_reader(issue: Path) -> None:
    settings = settings_for(issue.parent, free_port(), send_attempts=2)
    with pytest.raises(SendFailed, match=r"cannot connect .*gave up after 2 tries"):
        deliver(issue, settings, readers(3))
    assert not ledger.replay(issue).readers


# --- kills -----------------------------------------------------------------------


def test_sigkill_at_random_points_sends_every_reader_exactly_once(tmp_path: Path) -> None:
    """`digest send` is killed over and over, and started again until it finishes:
    every reader gets the issue exactly once. The one window for a duplicate (a kill
    between handing the final "." to the kernel and recording it, microseconds) can
    only touch a reader the ledger shows as interrupted, at most one per kill."""
    rng = random.Random(20261206)
    count = 300  # enough that 20 kills, each after at most ~14 readers, never run out
    addresses = [f"reader{i}@example.com" for i in range(count)]
    (tmp_path / "readers.txt").write_text("".join(f"{address}\n" for address in addresses))
    kills = 0
    with smtp_server() as (server, port):
        # A pace slow enough that each run is killed part-way.
        write_config(tmp_path, port, smtp_security="none", recipients="readers.txt", send_rate=400)
        assert run_digest("render", cwd=tmp_path).returncode == 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
        env |= send_env()
        for _ in range(60):
            child = subprocess.Popen(
                [sys.executable, "-m", "digest", "send"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            if kills < 20:
                # Kill once this run is sending (its ledger grows), at a random moment.
                ledger_file = next((tmp_path / "outbox").glob(f"2*/{ledger.LEDGER_FILE}"), None)
                size = ledger_file.stat().st_size if ledger_file else 0
                deadline = time.monotonic() + 10
                while child.poll() is None and time.monotonic() < deadline:
                    found = next((tmp_path / "outbox").glob(f"2*/{ledger.LEDGER_FILE}"), None)
                    if found is not None and found.stat().st_size > size + 300:
                        break
                    time.sleep(0.002)
                time.sleep(rng.uniform(0, 0.03))
                if child.poll() is None:
                    child.send_signal(signal.SIGKILL)
                    kills += 1
            out, _ = child.communicate(timeout=60)
            if child.returncode == 0 and b"nothing to send" in out:
                break
        else:
            pytest.fail("digest send never finished")
        counts = {address: server.count(address) for address in addresses}
    assert kills >= 20
    [folder] = (tmp_path / "outbox").glob("2*")
    state = ledger.replay(folder)
    assert state.finished and state.runs > kills  # each kill landed mid-send
    assert all(n >= 1 for n in counts.values()), "a reader got nothing"
    twice = {to for to, n in counts.items() if n > 1}
    assert all(n <= 2 for n in counts.values())
    assert all(state.readers[to].interrupted for to in twice), twice
    assert len(twice) + state.count("unconfirmed") <= kills


# --- the daemon ---------------------------------------------------------------------


def test_the_daemon_sends_each_new_issue_and_goes_on_with_an_unfinished_one(
    tmp_path: Path,
) -> None:
    (tmp_path / "readers.txt").write_text("ann@example.com\nbob@example.com\n")
    with smtp_server() as (server, port):
        write_config(
            tmp_path,
            port,
            smtp_security="none",
            recipients="readers.txt",
            send=True,
            schedule="daily at 00:00",
            timezone="UTC",
            catch_up_hours=24,
        )
        first = run_digest("run", "--once", cwd=tmp_path, env=send_env())
        assert first.returncode == 0, first.stderr
        assert sorted(r.to for r in server.received) == ["ann@example.com", "bob@example.com"]
        [folder] = (tmp_path / "outbox").glob("2*")
        assert ledger.replay(folder).finished
        # A reader added after a run that stopped part-way: the next start goes on.
        (tmp_path / "readers.txt").write_text("ann@example.com\nbob@example.com\ncy@example.com\n")
        with ledger.Ledger(folder) as book:
            book.event("started", readers=3, todo=1)  # as a run killed before it ended
        again = run_digest("run", "--once", cwd=tmp_path, env=send_env())
        assert again.returncode == 0, again.stderr
        assert sorted(r.to for r in server.received) == [
            "ann@example.com",
            "bob@example.com",
            "cy@example.com",
        ]
    assert "going on with the delivery" in again.stderr
    assert ledger.replay(folder).finished
