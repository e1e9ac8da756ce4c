"""Tools of the load benchmark: gunicorn servers, wrk and a Python generator, /proc readings.

Nothing here imports the app: the servers run in their own processes, and the generators
speak HTTP over loopback.
"""

import contextlib
import http.client
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "load.lua"
WORKERS = "4"  # the README's production command: gunicorn --workers 4 (sync worker class)
TICK = os.sysconf("SC_CLK_TCK")
QUIET_WAIT = float(os.environ.get("BENCH_QUIET_WAIT", "60"))


@dataclass
class Load:
    """What one load run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: Counter = field(default_factory=Counter)
    socket_errors: int = 0
    other_cores: float = 0.0  # CPU used meanwhile by processes that are not the benchmark's
    worker_ms: float = 0.0  # CPU time the server's workers spent over the run
    database_ms: float = 0.0  # CPU time of the PostgreSQL backends serving them

    @property
    def cpu_ms(self) -> float:
        """Workers' CPU per answered request: a cost that other work on the machine hardly
        changes (unlike req/s)."""
        return self.worker_ms / self.requests if self.requests else 0.0

    @property
    def db_ms(self) -> float:
        """PostgreSQL's CPU per answered request."""
        return self.database_ms / self.requests if self.requests else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def errors(self, expected: int) -> int:
        """Socket errors, timeouts and every answer with another status than expected."""
        return self.socket_errors + sum(n for s, n in self.statuses.items() if s != expected)

    def failed(self, expected: int) -> bool:
        """Errors, or no answer at all within the run."""
        return bool(self.errors(expected)) or not self.requests


class Server:
    """`gunicorn --workers 4 --bind 127.0.0.1:PORT APP`, started and stopped by its pid."""

    def __init__(self, app: str, port: int, env: dict, log: Path, chdir: Path = ROOT,
                 database: str | None = None):
        self.port, self.log = port, log
        self.database = database  # a PostgreSQL database: its backends' CPU is the server's
        command = [sys.executable, "-m", "gunicorn", "--workers", WORKERS,
                   "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), app]
        with log.open("w") as handle:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle,  # noqa: S603
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.port} exited:\n{self.log.read_text()}")
            if len(self.workers()) == int(WORKERS):
                try:
                    send(self.port, "GET", "/login", timeout=30)
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.port} did not answer:\n{self.log.read_text()}")

    def workers(self) -> list[int]:
        """The pids of the master's worker processes."""
        return children(self.process.pid)

    def drain(self, limit: float = 180) -> None:
        """Wait until requests a finished run left queued are done (gunicorn's sync workers
        still answer connections the generator gave up on): a probe queued behind them, then
        until the workers' CPU time stops growing."""
        with contextlib.suppress(OSError):
            send(self.port, "GET", "/login", timeout=limit)
        deadline, last = time.monotonic() + limit, _cpu_ticks(self.workers())
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = _cpu_ticks(self.workers())
            if now - last <= 2:
                return
            last = now

    def stop(self) -> None:
        """SIGTERM to the master (a graceful shutdown), SIGKILL to it after 20 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def port_free(port: int) -> bool:
    """True when nothing answers on 127.0.0.1:port."""
    try:
        send(port, "GET", "/", timeout=1)
    except OSError:
        return True
    return False


def send(port: int, method: str, path: str, headers: dict | None = None,
         body: bytes | None = None, timeout: float = 60) -> tuple[int, bytes]:
    """One request on a new connection (gunicorn's sync workers close it after each)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- /proc ------------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    """Direct children of a process."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_mib(pid: int) -> float:
    """Resident set size of a process, in MiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _busy_ticks() -> int:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4]  # minus idle and iowait


class CpuWatch:
    """CPU used over a span by one server's workers, by the PostgreSQL backends serving its
    database, and by every other process (not our servers, wrk or this script)."""

    def __init__(self, servers: list[Server], port: int | None = None):
        self.pids = [os.getpid()]
        for server in servers:
            self.pids += [server.process.pid, *server.workers()]
        target = next((s for s in servers if s.port == port), None)
        self.workers = target.workers() if target else []
        self.database = target.database if target else None
        self.began, self.busy, self.ours = time.monotonic(), _busy_ticks(), _cpu_ticks(self.pids)
        self.reaped, self.work = _reaped_ticks(), _cpu_ticks(self.workers)
        self.db = _backend_ticks(self.database)

    def _db_ticks(self) -> int:
        now = _backend_ticks(self.database)
        return sum(ticks - self.db.get(pid, 0) for pid, ticks in now.items())

    def other_cores(self) -> float:
        """Cores' worth of CPU the rest of the machine used since the watch started."""
        other = (_busy_ticks() - self.busy) - (_cpu_ticks(self.pids) - self.ours) \
            - (_reaped_ticks() - self.reaped) - self._db_ticks()
        return max(other, 0) / TICK / (time.monotonic() - self.began)

    def worker_ms(self) -> float:
        """CPU milliseconds the watched server's workers used since the watch started."""
        return (_cpu_ticks(self.workers) - self.work) * 1000 / TICK

    def database_ms(self) -> float:
        """CPU milliseconds the PostgreSQL backends of its database used meanwhile."""
        return self._db_ticks() * 1000 / TICK


def _backend_ticks(database: str | None) -> dict[int, int]:
    """CPU ticks of each PostgreSQL backend connected to the database (by process title)."""
    if not database:
        return {}
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                found[int(entry.name)] = _cpu_ticks([int(entry.name)])
    return found


def wait_quiet(servers: list[Server], limit: float, below: float = 0.25) -> None:
    """Wait up to `limit` seconds for the rest of the machine to use less than `below`
    cores over two seconds (other work may share this machine)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        watch = CpuWatch(servers)
        time.sleep(2)
        if watch.other_cores() < below:
            return


def _reaped_ticks() -> int:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has exited
    return round((usage.ru_utime + usage.ru_stime) * TICK)


# --- generators -------------------------------------------------------------------------

def ensure_wrk() -> str | None:
    """The wrk binary; installed from Debian when missing and running as root."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if subprocess.run([apt, "install", "-y", "wrk"], check=False, **quiet).returncode:  # noqa: S603
            subprocess.run([apt, "update"], check=False, **quiet)  # noqa: S603
            subprocess.run([apt, "install", "-y", "wrk"], check=False, **quiet)  # noqa: S603
    return shutil.which("wrk")


def run_wrk(wrk: str, port: int, path: str, headers: dict, seconds: int, connections: int,
            servers: list[Server], body: Path | None = None, tokens: Path | None = None,
            between=None) -> Load:
    """A warm-up, `between()`, then a measured wrk run through bench/load.lua (POSTing
    `body` when given, with the bearer tokens listed in `tokens` taken in turn)."""
    command = [wrk, "-t2", f"-c{connections}", "--timeout", "30s", "-s", str(LUA)]
    env = {**os.environ, "LOAD_TOKENS": str(tokens)} if tokens else None
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    if body is not None:
        command += ["--", "POST", str(body)]
    warm = [*command[:1], "-d2s", *command[1:]]
    subprocess.run(warm, check=True, capture_output=True, text=True, env=env)  # noqa: S603
    _drain(servers)
    if between:
        between()
    wait_quiet(servers, QUIET_WAIT)
    watch = CpuWatch(servers, port)
    run = subprocess.run([*command[:1], f"-d{seconds}s", *command[1:]],  # noqa: S603
                         check=True, capture_output=True, text=True, env=env)
    other, worker_ms, database_ms = watch.other_cores(), watch.worker_ms(), watch.database_ms()
    _drain(servers)
    line = next(x for x in run.stdout.splitlines() if x.startswith("LOAD "))
    data = json.loads(line[5:])
    statuses = Counter()
    for status, count in data["statuses"]:
        statuses[status] += count
    return Load(data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                data["p99_us"] / 1000, statuses, data["socket_errors"] + data["timeouts"],
                other, worker_ms, database_ms)


def run_python(port: int, path: str, headers: dict, seconds: int, connections: int,
               servers: list[Server], body: bytes | None = None,
               tokens: list[str] | None = None, between=None) -> Load:
    """The same measurement with threads and http.client (when wrk is not available)."""
    method = "POST" if body is not None else "GET"
    if body is not None:
        headers = {**headers, "Content-Type": "application/json"}

    def step(client: int, _n: int, record) -> None:
        sent = {**headers, "Authorization": f"Bearer {tokens[client % len(tokens)]}"} \
            if tokens else headers
        record(*timed(port, method, path, sent, body))

    hammer(step, connections, 2)
    _drain(servers)
    if between:
        between()
    wait_quiet(servers, QUIET_WAIT)
    watch = CpuWatch(servers, port)
    load = hammer(step, connections, seconds)
    load.other_cores, load.worker_ms = watch.other_cores(), watch.worker_ms()
    load.database_ms = watch.database_ms()
    _drain(servers)
    return load


def _drain(servers: list[Server]) -> None:
    for server in servers:
        server.drain()


def timed(port: int, method: str, path: str, headers: dict, body: bytes | None):
    """(status or None on a socket error, seconds) of one request."""
    start = time.perf_counter()
    try:
        status, _ = send(port, method, path, headers, body)
    except OSError:
        status = None
    return status, time.perf_counter() - start


def hammer(step, clients: int, seconds: float) -> Load:
    """`clients` threads each calling step(client, n, record) until the time is up."""
    lock, latencies, statuses = threading.Lock(), [], Counter()
    errors = [0]
    deadline = time.monotonic() + seconds

    def record(status: int | None, elapsed: float) -> None:
        with lock:
            if status is None:
                errors[0] += 1
            else:
                statuses[status] += 1
                latencies.append(elapsed)

    def loop(client: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            step(client, n, record)
            n += 1

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pick(q: float) -> float:
        return latencies[min(int(len(latencies) * q), len(latencies) - 1)] * 1000 \
            if latencies else 0.0

    return Load(len(latencies), elapsed, pick(0.50), pick(0.99), statuses, errors[0])
