"""Soak and fault run: mixed traffic against 2 gunicorn workers on PostgreSQL, with faults.

    .venv/bin/python benchmarks/soak.py [--duration 600] [--threads 4] [--workers 2]

Everything is on loopback and bounded in time. The script starts its own throwaway
PostgreSQL cluster (Debian's initdb/pg_ctl, as the `postgres` user when run as root), so it
can restart that database without touching the machine's shared server; migrates and seeds
it, takes a backup (`flask backup create`) and then, for `--duration` seconds, runs
reads, matches and writes from `--threads` clients while it injects, in order:

1. kill -9 of one worker (gunicorn replaces it);
2. a restart of the database;
3. a restore (`flask backup restore`) of the backup taken at the start, under the running
   service (writers pause for the restore; the history after the backup is gone on purpose);
4. kill -9 of a worker again, so a fresh worker loads its index after the restore.

Before the backup it leaves a few pending firms that it approves afterwards: in the
restored database they are pending again, so a worker that trusted an index snapshot of the
other history would suggest them. That is the stale-snapshot attack of issue #12 item 1.

It prints requests, errors by kind (per fault window) and an integrity check:

- no archived, sanctioned or unapproved firm suggested by a match request that ran wholly
  while the firm was excluded (per the acknowledged writes and the restore);
- no lost acknowledged write: after the run every PATCH acknowledged after the restore is
  what the database holds, and every firm created after the restore exists.

Exit status 1 when the integrity check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

from tests.factories import company_payload  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
FOREVER = float("inf")
NEEDS = [
    "155 mm shell loading and propellant charges, co-production in Ukraine",
    "interceptor drones against long-range strike drones, licensed production in the EU",
    "шукаємо партнера для спільного виробництва 155-мм снарядів в Україні",
    "repair of armoured vehicles and howitzer barrels close to the front",
]


# ---------------------------------------------------------------- the throwaway database


class Cluster:
    """A private PostgreSQL cluster on a free loopback port."""

    def __init__(self, work: Path) -> None:
        self.data = work / "pgdata"
        self.port = _free_port()
        self.log = work / "postgres.log"
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user:
            shutil.chown(work, "postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "soak")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/soak"

    def _pg(self, tool: str, *args: str) -> None:
        binary = PG_BIN / tool if (PG_BIN / tool).exists() else Path(shutil.which(tool) or tool)
        subprocess.run([*self.user, str(binary), *args], check=True, capture_output=True)

    def _ctl(self, *action: str) -> None:
        # -l: the server's output goes to its log, never to a pipe we would wait on.
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data.parent}"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", *action)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- the service


def _flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "flask"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stderr.strip()[-2000:]}")
    return result.stdout


def _environment(cluster: Cluster, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_APP="app",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        MATCHMAKER_ENV="production",
        MATCHMAKER_SECRET_KEY=secrets.token_hex(32),
        MATCHMAKER_DATABASE_URL=cluster.url,
        MATCHMAKER_INSTANCE_DIR=str(instance),
        # The soak measures faults, not the limiter: limits far above what it sends,
        # counted in Redis as production requires, under a prefix of this run's own.
        MATCHMAKER_API_RATE_LIMIT="1000000 per minute",
        MATCHMAKER_RATELIMIT_STORAGE_URL=os.environ.get(
            "MATCHMAKER_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379"
        ),
        MATCHMAKER_RATELIMIT_KEY_PREFIX=f"soak-{secrets.token_hex(4)}",
        MATCHMAKER_METRICS_PORT=str(_free_port()),
        PROMETHEUS_MULTIPROC_DIR=str(instance / "metrics"),
    )
    return env


def _start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    config = ["-c", str(ROOT / "gunicorn.conf.py")] if (ROOT / "gunicorn.conf.py").exists() else []
    command = [
        str(VENV_BIN / "gunicorn"),
        *config,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "app:app",
    ]
    return subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["MATCHMAKER_INSTANCE_DIR"]) / "gunicorn.log", "ab"),
    )


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


# ---------------------------------------------------------------- traffic and bookkeeping


@dataclass
class Ledger:
    """What the clients did and saw, with the times the integrity check needs."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, float, float]] = field(default_factory=list)
    # firm id -> intervals [start, end) in which it must never be suggested
    excluded: dict[int, list[list[float]]] = field(default_factory=dict)
    suggestions: list[tuple[float, float, list[int]]] = field(default_factory=list)
    patches: dict[int, tuple[float, str]] = field(default_factory=dict)
    created: list[tuple[float, str]] = field(default_factory=list)
    approved: set[int] = field(default_factory=set)
    windows: list[tuple[str, float, float]] = field(default_factory=list)

    def exclude(self, company_id: int, since: float) -> None:
        with self.lock:
            self.excluded.setdefault(company_id, []).append([since, FOREVER])

    def include(self, company_id: int, since: float) -> None:
        with self.lock:
            for interval in self.excluded.get(company_id, []):
                if interval[1] == FOREVER:
                    interval[1] = since

    def window(self, name: str, start: float, end: float) -> None:
        with self.lock:
            self.windows.append((name, start, end))

    def fault_window(self, started: float, ended: float) -> str:
        """The fault a failed request overlapped (it may have started just before it)."""
        for name, start, end in self.windows:
            if started <= end + 2 and ended >= start:
                return name
        return "steady"


class Client:
    def __init__(self, port: int, key: str) -> None:
        self.port, self.key = port, key

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=payload, headers=sent)
            response = connection.getresponse()
            raw = response.read()
            data = (
                json.loads(raw)
                if raw and response.getheader("Content-Type", "").startswith("application/json")
                else raw
            )
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()


class Traffic:
    """The mixed load; `writes_paused` holds writers while the backup is restored."""

    def __init__(self, ledger: Ledger, office: Client, admin: Client, ids: list[int]) -> None:
        self.ledger, self.office, self.admin = ledger, office, admin
        self.ids = ids
        self.stop = threading.Event()
        self.writes_open = threading.Event()
        self.writes_open.set()
        self.serial = 0

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            roll = rng.random()
            started = time.monotonic()
            try:
                if roll < 0.50:
                    kind = self._match(rng, started)
                elif roll < 0.62:
                    kind = self._ad_hoc(rng, started)
                elif roll < 0.72:
                    kind = self._read(rng)
                else:
                    self.writes_open.wait()
                    kind = self._write(rng, roll)
            except (OSError, http.client.HTTPException) as error:
                kind = "socket error: " + error.__class__.__name__
                self._error(kind, started)
                continue
            with self.ledger.lock:
                self.ledger.counts[kind] += 1

    def _error(self, kind: str, started: float) -> None:
        with self.ledger.lock:
            # Labelled by fault window at the end: a window is known only once it is over.
            self.ledger.failed.append((kind, started, time.monotonic()))

    def _check(self, status: int, what: str, started: float, ok: tuple[int, ...] = (200,)) -> bool:
        if status in ok:
            return True
        if status >= 500:
            self._error(f"{what} {status}", started)
        else:
            with self.ledger.lock:
                self.ledger.counts[f"{what} {status}"] += 1
        return False

    def _match(self, rng: random.Random, started: float) -> str:
        company = rng.choice(self.ids)
        status, _, body = self.office.call("GET", f"/api/v1/companies/{company}/matches?limit=10")
        if self._check(status, "match", started, ok=(200, 404)) and status == 200:
            self._seen(started, body)
        return "match"

    def _ad_hoc(self, rng: random.Random, started: float) -> str:
        side = rng.choice(["EU", "UA"])
        status, _, body = self.office.call(
            "POST", "/api/v1/matches", {"seeks": rng.choice(NEEDS), "side": side, "limit": 10}
        )
        if self._check(status, "ad-hoc match", started):
            self._seen(started, body)
        return "ad-hoc match"

    def _seen(self, started: float, body: Any) -> None:
        ids = [item["company"]["id"] for item in body.get("items", [])]
        with self.ledger.lock:
            self.ledger.suggestions.append((started, time.monotonic(), ids))

    def _read(self, rng: random.Random) -> str:
        started = time.monotonic()
        status, _, _ = self.office.call("GET", f"/api/v1/companies/{rng.choice(self.ids)}")
        self._check(status, "read", started, ok=(200, 404))
        return "read"

    def _create(self, started: float) -> str:
        payload = company_payload(name=f"Soak Werk {secrets.token_hex(6)} GmbH")
        payload["legal_id"] = f"DE{random.randrange(10**8, 10**9)}"
        status, _, body = self.admin.call("POST", "/api/v1/companies", payload)
        if self._check(status, "create", started, ok=(201, 409, 422)) and status == 201:
            with self.ledger.lock:
                self.ledger.created.append((time.monotonic(), payload["legal_id"]))
        return "create"

    def _write(self, rng: random.Random, roll: float) -> str:
        started = time.monotonic()
        company = rng.choice(self.ids)
        status, headers, _ = self.admin.call("GET", f"/api/v1/companies/{company}")
        if not self._check(status, "read for write", started):
            return "read for write"
        etag = {"If-Match": headers.get("ETag", "")}
        if roll < 0.95:
            self.serial += 1
            marker = f"Soak edit {self.serial} {secrets.token_hex(4)}."
            status, _, _ = self.admin.call(
                "PATCH", f"/api/v1/companies/{company}", {"description": marker}, etag
            )
            if self._check(status, "patch", started, ok=(200, 412, 422)) and status == 200:
                with self.ledger.lock:
                    self.ledger.patches[company] = (time.monotonic(), marker)
            return "patch"
        if roll < 0.96:
            return self._create(started)
        if roll < 0.975:
            status, _, _ = self.admin.call(
                "PATCH", f"/api/v1/companies/{company}", {"compliance": {"sanctioned": True}}, etag
            )
            if self._check(status, "sanction", started, ok=(200, 412, 422)) and status == 200:
                self.ledger.exclude(company, time.monotonic())
            return "sanction"
        status, _, _ = self.admin.call("DELETE", f"/api/v1/companies/{company}")
        if self._check(status, "archive", started, ok=(200, 404)) and status == 200:
            self.ledger.exclude(company, time.monotonic())
        return "archive"


# ---------------------------------------------------------------- the run


def main() -> None:
    args = _arguments()
    # A terminated run still stops its server and database (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="matchmaker-soak-"))
    os.chmod(work, 0o755)
    cluster = Cluster(work)
    instance = work / "instance"
    instance.mkdir()
    (instance / "metrics").mkdir()
    env = _environment(cluster, instance)
    server: subprocess.Popen[bytes] | None = None
    try:
        _flask(env, "db", "upgrade")
        _flask(env, "seed")
        office = Client(0, _key(env, "office"))
        admin = Client(0, _key(env, "admin"))
        port = _free_port()
        office.port = admin.port = port
        server = _start_gunicorn(env, port, args.workers)
        _wait_ready(port)
        ledger = Ledger()
        approved, held = _registry(admin)
        # The backup keeps `held` pending; approving them afterwards makes a history that the
        # restore throws away, so an index that outlived the restore would still suggest them.
        backup = work / "backup.dump"
        for company in _excluded_now(admin):
            ledger.exclude(company, 0.0)
        _flask(env, "backup", "create", "--output", str(backup))
        for company in held:
            status, headers, _ = admin.call("GET", f"/api/v1/companies/{company}")
            status, _, _ = admin.call(
                "PATCH",
                f"/api/v1/companies/{company}",
                {"status": "approved"},
                {"If-Match": headers["ETag"]},
            )
            if status == 200:
                ledger.include(company, time.monotonic())
        traffic = Traffic(ledger, office, admin, approved + held)
        threads = [
            threading.Thread(target=traffic.run, args=(n,), daemon=True)
            for n in range(args.threads)
        ]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        _faults(args.duration, start, server.pid, cluster, backup, ledger, traffic, held, env)
        traffic.stop.set()
        for thread in threads:
            thread.join(timeout=90)
        elapsed = time.monotonic() - start
        failures = _report(ledger, admin, start, elapsed)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        cluster.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


def _faults(
    duration: float,
    start: float,
    master: int,
    cluster: Cluster,
    backup: Path,
    ledger: Ledger,
    traffic: Traffic,
    held: list[int],
    env: dict[str, str],
) -> None:
    def at(share: float) -> None:
        time.sleep(max(0.0, start + duration * share - time.monotonic()))

    at(0.2)
    _kill_a_worker(master, ledger)
    at(0.4)
    began = time.monotonic()
    cluster.restart()
    ledger.window("database restart", began, time.monotonic())
    print(f"fault: database restarted in {time.monotonic() - began:.1f} s", flush=True)
    at(0.6)
    traffic.writes_open.clear()
    time.sleep(2)  # let acknowledged writes in flight finish before the restore
    began = time.monotonic()
    _restore(env, backup)
    restored = time.monotonic()
    ledger.window("backup restore", began, restored)
    with ledger.lock:
        # The restore undoes every write since the backup: those firms are as they were
        # then, and the firms held pending before the backup are pending again.
        for intervals in ledger.excluded.values():
            for interval in intervals:
                if interval[0] > 0 and interval[1] == FOREVER:
                    interval[1] = began
        for company in held:
            ledger.excluded.setdefault(company, []).append([restored, FOREVER])
        ledger.patches.clear()
        ledger.created.clear()
    traffic.writes_open.set()
    print(f"fault: backup restored in {restored - began:.1f} s", flush=True)
    at(0.8)
    _kill_a_worker(master, ledger)
    at(1.0)


def _restore(env: dict[str, str], backup: Path) -> None:
    """The project's own restore (`flask backup restore`), under the running service."""
    for attempt in range(1, 4):
        try:
            _flask(env, "backup", "restore", str(backup), "--yes")
            return
        except SystemExit as error:
            print(f"fault: restore attempt {attempt} failed: {str(error)[-300:]}", flush=True)
    raise SystemExit("the backup could not be restored in 3 attempts")


def _kill_a_worker(master: int, ledger: Ledger) -> None:
    workers = _workers(master)
    if not workers:
        print("fault: no worker found to kill", flush=True)
        return
    victim = random.choice(workers)
    began = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    ledger.window("worker killed", began, began + 1)
    print(f"fault: worker {victim} killed", flush=True)


def _report(ledger: Ledger, admin: Client, start: float, elapsed: float) -> int:
    errors: Counter[str] = Counter()
    times: dict[str, list[float]] = {}
    for kind, started, ended in ledger.failed:
        label = f"{kind} [{ledger.fault_window(started, ended)}]"
        errors[label] += 1
        times.setdefault(label, []).append(started - start)
    total = sum(ledger.counts.values()) + len(ledger.failed)
    print(f"\nrequests: {total} in {elapsed:.0f} s ({total / elapsed:.1f}/s)")
    for kind, count in sorted(ledger.counts.items()):
        print(f"  {kind}: {count}")
    print("errors by kind [window]:" if errors else "errors: none")
    for kind, count in sorted(errors.items()):
        shown = ", ".join(f"{t:.0f}" for t in times[kind][:8])
        print(f"  {kind}: {count} (at s: {shown})")
    for name, began, ended in ledger.windows:
        print(f"  fault window {name}: {began - start:.0f}-{ended - start:.0f} s")
    steady = sum(c for k, c in errors.items() if k.endswith("[steady]"))
    suggested = _suggested_while_excluded(ledger)
    lost = _lost_writes(ledger, admin)
    print("integrity:")
    print(f"  match answers checked: {len(ledger.suggestions)}")
    print(f"  excluded firms suggested: {len(suggested)}")
    for line in suggested[:10]:
        print(f"    {line}")
    print(f"  acknowledged writes checked: {len(ledger.patches)}; lost: {len(lost)}")
    for line in lost[:10]:
        print(f"    {line}")
    missing = _missing_creations(ledger, admin)
    print(f"  acknowledged creations checked: {len(ledger.created)}; missing: {len(missing)}")
    print(f"  errors outside fault windows: {steady}")
    return len(suggested) + len(lost) + len(missing) + steady


def _suggested_while_excluded(ledger: Ledger) -> list[str]:
    found = []
    for started, ended, ids in ledger.suggestions:
        for company in ids:
            for since, until in ledger.excluded.get(company, []):
                if since <= started and ended < until:
                    found.append(
                        f"firm {company} suggested at {started:.1f} s, excluded since {since:.1f} s"
                    )
    return found


def _lost_writes(ledger: Ledger, admin: Client) -> list[str]:
    lost = []
    for company, (_, marker) in sorted(ledger.patches.items()):
        status, _, body = admin.call("GET", f"/api/v1/companies/{company}")
        if status != 200 or body.get("description") != marker:
            lost.append(
                f"firm {company}: acknowledged {marker!r}, stored "
                f"{body.get('description') if status == 200 else status!r}"
            )
    return lost


def _missing_creations(ledger: Ledger, admin: Client) -> list[str]:
    stored = {
        c["legal_id"]
        for status in ("pending", "approved", "rejected", "archived")
        for c in _companies(admin, status)
    }
    return [legal_id for _, legal_id in ledger.created if legal_id not in stored]


def _key(env: dict[str, str], role: str) -> str:
    output = _flask(env, "apikey", "create", "--name", f"soak {role}", "--role", role)
    return output.strip().splitlines()[-1]


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            status, _, _ = Client(port, "").call("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("the service did not become healthy in 300 s")


def _companies(admin: Client, status: str) -> list[dict[str, Any]]:
    found, page = [], 1
    while True:
        code, _, body = admin.call(
            "GET", f"/api/v1/companies?status={status}&page={page}&page_size=100"
        )
        if code != 200:
            raise SystemExit(f"listing companies failed: {code} {body}")
        found.extend(body["items"])
        if page >= body["pages"]:
            return found
        page += 1


def _registry(admin: Client) -> tuple[list[int], list[int]]:
    approved = [c["id"] for c in _companies(admin, "approved")]
    pending = [c["id"] for c in _companies(admin, "pending")][:5]
    return approved, pending


def _excluded_now(admin: Client) -> list[int]:
    ids = []
    for status in ("pending", "rejected", "archived"):
        ids.extend(c["id"] for c in _companies(admin, status))
    ids.extend(c["id"] for c in _companies(admin, "approved") if c["compliance"]["sanctioned"])
    return ids


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds of traffic")
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args()


if __name__ == "__main__":
    main()
