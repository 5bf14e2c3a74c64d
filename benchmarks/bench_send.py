"""Sending speed: one issue to 10,000 readers through a loopback SMTP server.

Prints figures against the target of the delivery issue; it asserts nothing (timings
never belong in pass/fail tests). Run it from the repository root:

    python benchmarks/bench_send.py [--readers 10000] [--connections 1,4]
        [--peer-messages 5000] [--ledger-records 2000]

Target on the project machine (2 cores): ``deliver`` (what `digest send` runs) sends
at least 300 messages/s with 4 connections.

The server is aiosmtpd on 127.0.0.1 in a separate process (so that it does not share
the sender's GIL), with a handler that only counts what each address received. Its
own speed is a ceiling for any sender, so the same run measures the `peer` rows: a
bare smtplib client sending one ready-made copy of the same size, with nothing
personal, no ledger and no pace, on as many connections. Read digest's figure
against them. The ledger rows time ``Ledger.record`` alone, in the same temporary
folder as the runs: a message costs three records (``sending``; then ``handed`` and
``sent``, each flushed with an fdatasync), and with several connections one flush can
cover the lines of several threads (the `4 threads` row). The checks say whether
every reader was received exactly once and each run's ledger is finished.

Other work on the machine shows in every figure: the load average is printed before
and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import smtplib
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counting_server import CountingServer  # noqa: E402

from digest.config import Settings  # noqa: E402
from digest.delivery import Recipient, deliver, ledger, reader_copy  # noqa: E402
from digest.delivery.ledger import Ledger  # noqa: E402
from digest.delivery.messages import Template  # noqa: E402
from digest.outbox import EML_FILE  # noqa: E402
from digest.pipeline import publish  # noqa: E402

TARGET = 300.0
"""Messages a second with 4 connections."""
LEDGER_ROUNDS = 5

# The server process: prints its port, then answers each line on stdin ("count",
# "reset") with one JSON line; stops at the end of stdin.
_SERVER = """
import json, socket, sys, threading
from collections import Counter
from aiosmtpd.controller import Controller

class Counting:
    def __init__(self):
        self.lock = threading.Lock()
        self.received = Counter()
        self.size = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for to in envelope.rcpt_tos:
                self.received[to.lower()] += 1
            self.size += len(envelope.original_content or b"")
        return "250 2.0.0 Accepted"

with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
handler = Counting()
controller = Controller(handler, hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
for line in sys.stdin:
    with handler.lock:
        counts = handler.received
        answer = {
            "messages": sum(counts.values()),
            "readers": len(counts),
            "most": max(counts.values(), default=0),
            "bytes": handler.size,
        }
        if line.strip() == "reset":
            handler.received, handler.size = Counter(), 0
    print(json.dumps(answer), flush=True)
controller.stop()
"""


class Server(CountingServer):
    """The counting aiosmtpd server; ``take_count`` gives messages, distinct readers,
    the most any reader got, and bytes."""

    def __init__(self) -> None:
        super().__init__(_SERVER)


def readers(count: int) -> list[Recipient]:
    return [Recipient(f"reader{n}@example.com", f"Reader {n}") for n in range(count)]


def settings_for(outbox: Path, port: int, connections: int) -> Settings:
    return Settings(
        sources=[str(ROOT / "seeds")],
        outbox=outbox,
        unsubscribe_url="https://example.com/unsubscribe?t={token}",
        unsubscribe_secret="a-long-random-secret",  # type: ignore[arg-type]
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        send_connections=connections,
    )


def bench_digest(
    issue: Path, work: Path, port: int, connections: int, recipients: list[Recipient]
) -> tuple[float, Path, bool]:
    """(messages/s, the run's folder, the report says all were sent) for one run
    of ``deliver`` on a fresh copy of ``issue``."""
    folder = work / f"run-{connections}" / issue.name
    shutil.copytree(issue, folder)
    settings = settings_for(folder.parent, port, connections)
    start = time.perf_counter()
    report = deliver(folder, settings, recipients)
    seconds = time.perf_counter() - start
    clean = report.sent == len(recipients) and not report.failed and not report.unconfirmed
    return len(recipients) / seconds, folder, clean and not report.left


def bench_peer(port: int, connections: int, message: bytes, count: int) -> float:
    """Messages/s of bare smtplib clients sending ``message`` ``count`` times in all."""
    shares = [range(n, count, connections) for n in range(connections)]
    errors: list[BaseException] = []

    def blast(share: range) -> None:
        try:
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                for n in share:
                    smtp.sendmail("digest@example.com", [f"peer{n}@example.com"], message)
        except BaseException as exc:  # reported below: the figure would be wrong
            errors.append(exc)

    threads = [threading.Thread(target=blast, args=(share,)) for share in shares]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    if errors:
        raise SystemExit(f"the peer client failed: {errors[0]!r}")
    return count / seconds


def bench_ledger(folder: Path, records: int, *, sync: bool, threads: int = 1) -> float:
    """Microseconds per ``Ledger.record`` (wall time over all ``threads``) in a fresh
    ledger in ``folder``."""
    folder.mkdir(parents=True)

    def write(share: range) -> None:
        for n in share:
            book.record(f"reader{n}@example.com", "handed", sync=sync)

    with Ledger(folder) as book:
        workers = [
            threading.Thread(target=write, args=(range(n, records, threads),))
            for n in range(threads)
        ]
        start = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - start
    return seconds / records * 1e6


def finished_and_all_sent(folder: Path, recipients: list[Recipient]) -> bool:
    state = ledger.replay(folder)
    readers = state.readers
    return state.finished and all(
        r.key in readers and readers[r.key].status == "sent" for r in recipients
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--readers", type=int, default=10_000, help="Readers in each run (default 10000)."
    )
    parser.add_argument(
        "--connections",
        default="1,4",
        help="Comma-separated connection counts, one run of each (default 1,4).",
    )
    parser.add_argument(
        "--peer-messages",
        type=int,
        default=5000,
        help="Messages for each peer row (default 5000).",
    )
    parser.add_argument(
        "--ledger-records",
        type=int,
        default=2000,
        help=f"Records written for each ledger row, in {LEDGER_ROUNDS} rounds (default 2000).",
    )
    options = parser.parse_args()
    counts = [int(c) for c in options.connections.split(",") if c.strip()]
    recipients = readers(options.readers)
    load_before = os.getloadavg()[0]

    server = Server()
    rows: list[tuple[str, str, str, bool | None]] = []
    digest_rates: dict[int, float] = {}
    checks: list[tuple[str, bool]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-send-") as tmp:
            work = Path(tmp)
            settings = settings_for(work / "outbox", server.port, 1)
            outcome = publish(settings, now=dt.datetime.now(dt.UTC))
            assert outcome.folder is not None
            issue = outcome.folder
            template = Template.parse((issue / EML_FILE).read_bytes())
            sample = reader_copy(template, recipients[0], settings)

            for connections in counts:
                rate, folder, reported = bench_digest(
                    issue, work, server.port, connections, recipients
                )
                got = server.take_count()
                digest_rates[connections] = rate
                target, met = ("", None)
                if connections == 4:
                    target, met = f">= {TARGET:.0f} messages/s", rate >= TARGET
                rows.append(
                    (
                        f"digest, {connections} connection(s)",
                        f"{rate:,.0f} msg/s {1000 / rate:5.2f} ms/msg",
                        target,
                        met,
                    )
                )
                once = got["messages"] == got["readers"] == len(recipients) and got["most"] == 1
                checks.append(
                    (
                        f"{connections} connection(s): {got['messages']:,} messages to "
                        f"{got['readers']:,} readers, none twice",
                        once and reported,
                    )
                )
                checks.append(
                    (
                        f"{connections} connection(s): ledger finished, every reader sent",
                        finished_and_all_sent(folder, recipients),
                    )
                )

            for connections in counts:
                rate = bench_peer(server.port, connections, sample, options.peer_messages)
                got = server.take_count()
                share = f"digest: {digest_rates[connections] / rate:.0%} of it"
                rows.append(
                    (
                        f"peer (bare smtplib), {connections} conn.",
                        f"{rate:,.0f} msg/s {1000 / rate:5.2f} ms/msg",
                        share,
                        None,
                    )
                )
                checks.append(
                    (
                        f"peer, {connections} connection(s): {got['messages']:,} "
                        f"of {options.peer_messages:,} arrived",
                        got["messages"] == options.peer_messages,
                    )
                )

            # In rounds, each row's median: a flush's time varies with the disk's
            # other work, and the rounds spread that over the three rows alike.
            records = max(1, options.ledger_records // LEDGER_ROUNDS)
            timed: dict[str, list[float]] = {"sync": [], "grouped": [], "none": []}
            for n in range(LEDGER_ROUNDS):
                where = work / f"ledger-{n}"
                timed["sync"].append(bench_ledger(where / "sync", records, sync=True))
                timed["grouped"].append(
                    bench_ledger(where / "grouped", records, sync=True, threads=4)
                )
                timed["none"].append(bench_ledger(where / "none", records, sync=False))
            synced, grouped, unsynced = (
                statistics.median(timed[row]) for row in ("sync", "grouped", "none")
            )
            per_message = unsynced + 2 * synced
            per_message_4 = unsynced + 2 * grouped
    finally:
        server.stop()

    rows += [
        ("ledger record, fdatasync", f"{synced:,.0f} µs", "", None),
        ("ledger record, fdatasync, 4 threads", f"{grouped:,.0f} µs", "", None),
        ("ledger record, no sync", f"{unsynced:,.1f} µs", "", None),
        ("ledger per message (3 records)", f"{per_message:,.0f} µs", "", None),
        ("ledger per message, 4 threads", f"{per_message_4:,.0f} µs", "", None),
    ]
    print(
        f"one issue ({len(sample):,} bytes a copy) to {len(recipients):,} readers; "
        f"{os.cpu_count()} cores, load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    print(f"{'measure':<36} {'result':>24}  {'target':<24}")
    for name, result, target, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"{name:<36} {result:>24}  {target:<24} {verdict}")
    print()
    for name, ok in checks:
        print(f"{'ok    ' if ok else 'FAILED'} {name}")


if __name__ == "__main__":
    main()
