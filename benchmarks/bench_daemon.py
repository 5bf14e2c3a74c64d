"""The daemon at rest: CPU use and resident memory of an idle `digest run`.

Starts two real daemons on copies of the seeds and watches them from /proc (Linux):

- "fresh": nothing was due at start, so the pipeline was never imported;
- "after an issue": a slot was due at start, so it made (caught up) one issue first,
  and holds whatever the render left in memory.

Prints figures against the targets of the daemon issue; it asserts nothing (timings
never belong in pass/fail tests). Run it from the repository root:

    python benchmarks/bench_daemon.py [--seconds 60] [--check-every 30]

Targets: idle CPU below 1 % of one core over 60 s; idle RSS under 80 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
CPU_TARGET_PERCENT = 1.0
RSS_TARGET_MB = 80.0


def make_site(folder: Path, schedule: str) -> None:
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    (folder / "digest.toml").write_text(
        f'sources = ["seeds"]\noutbox = "outbox"\ntimezone = "UTC"\nschedule = "{schedule}"\n'
    )


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def start(folder: Path, check_every: float) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "run", "--check-every", str(check_every)],
        cwd=folder,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def wait_until_idle(process: subprocess.Popen[str], marker: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if marker in line:
            return
    raise SystemExit(f"the daemon stopped before logging {marker!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="idle time to measure")
    parser.add_argument("--check-every", type=float, default=30.0, help="the daemon's tick")
    args = parser.parse_args()

    now = datetime.now(ZoneInfo("UTC"))
    just_passed = (now - timedelta(minutes=2)).strftime("%H:%M")
    far_away = (now + timedelta(hours=6)).strftime("%H:%M")
    with tempfile.TemporaryDirectory(prefix="bench-daemon-") as tmp:
        sites = {
            "fresh": (Path(tmp) / "fresh", f"daily at {far_away}", "next slot"),
            "after an issue": (Path(tmp) / "issued", f"daily at {just_passed}", "published"),
        }
        processes = {}
        for label, (folder, schedule, _marker) in sites.items():
            make_site(folder, schedule)
            processes[label] = start(folder, args.check_every)
        try:
            for label, (_folder, _schedule, marker) in sites.items():
                wait_until_idle(processes[label], marker)
            time.sleep(1.0)  # let start-up work settle
            before = {label: cpu_seconds(p.pid) for label, p in processes.items()}
            started = time.monotonic()
            time.sleep(args.seconds)
            elapsed = time.monotonic() - started
            print(f"digest run, idle for {elapsed:.0f} s (ticks every {args.check_every:g} s)")
            for label, process in processes.items():
                cpu = (cpu_seconds(process.pid) - before[label]) / elapsed * 100
                memory = memory_mb(process.pid)
                print(
                    f"  {label:<15} idle CPU {cpu:6.3f} % of a core "
                    f"(target < {CPU_TARGET_PERCENT:g} %)   "
                    f"RSS {memory['VmRSS']:5.1f} MB (target < {RSS_TARGET_MB:g} MB, "
                    f"peak {memory['VmHWM']:.1f} MB)"
                )
        finally:
            for process in processes.values():
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
