"""The mixed load benchmark (issue 17, step 6): the app used the way a cohort uses it.

32 trainees, each with their own signed-in session and API token, and an admin, for
BENCH_SECONDS (20) under wrk (32 connections): 35 % trainee home, 25 % vignette catalogue,
15 % vignette stage page, 15 % API submissions, 5 % admin cohort heatmap, 5 % module page,
in a fixed shuffled order spread over the trainees (bench/mixed.lua). The bare Flask app is
measured in the same run, before and after the mix; the ratio is the mix's throughput over
the better bare run. The app runs under the README's production command (gunicorn --workers
4) wrapped by bench/mixed_wsgi.py, which records each request's kind, CPU and wall time in
the worker, so each kind's CPU ms per request is reported (the figure machine noise hardly
moves). SQLite and PostgreSQL (BENCH_DATABASES), seeded as bench/load_bench.py seeds them.

Targets: the mix at >= 0.12 of the bare app's throughput, p99 under 200 ms, no error.

    .venv/bin/python bench/load_mixed.py
    BENCH_DATABASES=sqlite BENCH_SECONDS=10 .venv/bin/python bench/load_mixed.py
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_SECONDS", "20")
from load_bench import (  # noqa: E402
    CONNECTIONS,
    DATABASES,
    PG_URL,
    SECONDS,
    VIGNETTE,
    app_env,
    cookie_header,
    fresh_postgres,
    open_stage_two,
    seed,
    sign_in,
)
from load_tools import (  # noqa: E402
    QUIET_WAIT,
    CpuWatch,
    Server,
    ensure_wrk,
    port_free,
    run_wrk,
    wait_quiet,
)

MIX = [("trainee home", 35, "GET", "/trainee", 200),
       ("catalogue", 25, "GET", "/vignettes/", 200),
       ("stage page", 15, "GET", f"/vignettes/{VIGNETTE}/stages/2", 200),
       ("submission", 15, "POST", f"/api/v1/vignettes/{VIGNETTE}/attempts", 201),
       ("cohort heatmap", 5, "GET", "/competency/cohort", 200),
       ("module page", 5, "GET", "/modules/ipt-initial-phase", 200)]
EXPECTED = {kind: status for kind, _, _, _, status in MIX}
TRAINEES = 32
RATIO_TARGET, P99_TARGET_MS = 0.12, 200
PORTS = {"sqlite": 8111, "postgresql": 8112, "bare": 8113}
MIXED_LUA = Path(__file__).resolve().parent / "mixed.lua"


def schedule(folder: Path, trainees: list[dict], admin_cookie: str, body: str) -> Path:
    """2,000 requests in the mix's shares, shuffled once (seeded), spread over the trainees."""
    rng, lines = random.Random(17), []
    for kind, share, method, path, _ in MIX:
        for n in range(share * 20):
            trainee = trainees[n % len(trainees)]
            if kind == "submission":
                header, value = "Authorization", f"Bearer {trainee['token']}"
            elif kind == "cohort heatmap":
                header, value = "Cookie", admin_cookie
            else:
                header, value = "Cookie", trainee["cookie"]
            lines.append("\t".join([kind, method, path, header, value,
                                    body if method == "POST" else "-"]))
    rng.shuffle(lines)
    target = folder / "schedule.tsv"
    target.write_text("\n".join(lines) + "\n")
    return target


def run_mix(wrk: str, server: Server, bare: Server, plan: Path, logs: Path) -> dict:
    """A warm-up, then the measured run; the client's figures and the workers' records."""
    command = [wrk, "-t2", f"-c{CONNECTIONS}", "--timeout", "30s", "-s", str(MIXED_LUA)]
    env = {**os.environ, "MIX_SCHEDULE": str(plan)}
    url = f"http://127.0.0.1:{server.port}/"
    subprocess.run([*command, "-d3s", url], check=True, capture_output=True, env=env)  # noqa: S603
    for s in (server, bare):
        s.drain()
    wait_quiet([server, bare], QUIET_WAIT)
    watch, began = CpuWatch([server, bare], server.port), time.time()
    run = subprocess.run([*command, f"-d{SECONDS}s", url], check=True,  # noqa: S603
                         capture_output=True, text=True, env=env)
    ended, other = time.time(), watch.other_cores()
    worker_ms, database_ms = watch.worker_ms(), watch.database_ms()
    server.drain()
    line = next(x for x in run.stdout.splitlines() if x.startswith("LOAD "))
    data = json.loads(line[5:])
    records = defaultdict(list)
    for log in logs.glob("*.tsv"):
        for row in log.read_text().splitlines():
            stamp, kind, status, cpu_us, wall_us = row.split("\t")
            if began <= float(stamp) <= ended:
                records[kind].append((int(status), int(cpu_us) / 1000, int(wall_us) / 1000))
    return {"client": data, "records": records, "other": other, "worker_ms": worker_ms,
            "database_ms": database_ms}


def measure(kind: str, url: str, folder: Path, bare: Server, wrk: str) -> dict:
    started = time.perf_counter()
    seeded = seed(url)
    print(f"{kind}: seeded in {time.perf_counter() - started:.0f} s", flush=True)
    logs = folder / f"{kind}-records"
    logs.mkdir()
    env = {**app_env(url, folder), "MIX_LOG_DIR": str(logs)}
    server = Server("mixed_wsgi:app", PORTS[kind], env, folder / f"{kind}.log",
                    chdir=Path(__file__).resolve().parent,
                    database=make_url(url).database if kind == "postgresql" else None)
    try:
        trainees = []
        for i in range(TRAINEES):
            browser = sign_in(server.port, f"trainee{i + 1}@scale.example")
            open_stage_two(server.port, browser)
            trainees.append({"cookie": cookie_header(browser), "token": seeded["tokens"][i]})
        admin = cookie_header(sign_in(server.port, seeded["admin"]))
        body = json.dumps({"answers": seeded["answers"][VIGNETTE]}, separators=(",", ":"))
        plan = schedule(folder, trainees, admin, body)
        before = run_wrk(wrk, bare.port, "/", {}, SECONDS, CONNECTIONS, [server, bare])
        mixed = run_mix(wrk, server, bare, plan, logs)
        after = run_wrk(wrk, bare.port, "/", {}, SECONDS, CONNECTIONS, [server, bare])
    finally:
        server.stop()
    return {"bare": max(before.rps, after.rps), "bare_cpu": min(before.cpu_ms, after.cpu_ms),
            **mixed}


def p99_of(values: list[float]) -> float:
    """The 99th percentile of sorted values (nearest rank)."""
    return values[max(0, -(-len(values) * 99 // 100) - 1)]


def report(kind: str, result: dict) -> bool:
    """Print one database's figures; True when every target is met."""
    client, records = result["client"], result["records"]
    rps = client["requests"] / (client["duration_us"] / 1e6)
    ratio, p99 = rps / result["bare"], client["p99_us"] / 1000
    statuses = Counter()
    for key, n in client["statuses"]:
        statuses[key] += n
    errors = client["socket_errors"] + client["timeouts"] + sum(
        n for key, n in statuses.items()
        if key.rsplit(" ", 1)[0] not in EXPECTED
        or int(key.rsplit(" ", 1)[1]) != EXPECTED[key.rsplit(" ", 1)[0]])
    answered = sum(len(v) for v in records.values())
    met = ratio >= RATIO_TARGET and p99 < P99_TARGET_MS and errors == 0
    print(f"\n{kind}: mix {rps:.0f} req/s, bare app {result['bare']:.0f} req/s, ratio "
          f"{ratio:.3f} (target >= {RATIO_TARGET}); client p50 {client['p50_us'] / 1000:.1f} "
          f"ms, p99 {p99:.1f} ms (target < {P99_TARGET_MS}); errors {errors}; workers' CPU "
          f"{result['worker_ms'] / max(answered, 1):.1f} ms per request (+ database "
          f"{result['database_ms'] / max(answered, 1):.1f}); other cores busy "
          f"{result['other']:.2f}; {'met' if met else 'MISS'}")
    print(f"{'kind':<16}{'share':>7}{'answered':>10}{'unexpected':>11}{'CPU ms':>8}"
          f"{'CPU p99':>9}{'wall p50':>10}{'wall p99':>10}{'CPU share':>11}")
    total_cpu = sum(c for rows in records.values() for _, c, _ in rows) or 1
    for name, _, _, _, status in MIX:
        rows = records.get(name, [])
        cpu = sorted(c for _, c, _ in rows) or [0.0]
        wall = sorted(w for _, _, w in rows) or [0.0]
        odd = sum(1 for s, _, _ in rows if s != status)
        print(f"{name:<16}{len(rows) / max(answered, 1):7.1%}{len(rows):10d}{odd:11d}"
              f"{statistics.fmean(cpu):8.1f}{p99_of(cpu):9.1f}{wall[len(wall) // 2]:10.1f}"
              f"{p99_of(wall):10.1f}{sum(cpu) / total_cpu:11.1%}")
    return met


def main() -> int:
    for port in PORTS.values():
        assert port_free(port), f"port {port} is in use"
    wrk = ensure_wrk()
    assert wrk, "the mixed run needs wrk (apt-get install wrk)"
    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["INSTANCE_PATH"] = str(folder / "instance")
        bare = Server("bare_app:app", PORTS["bare"], dict(os.environ), folder / "bare.log",
                      chdir=Path(__file__).resolve().parent)
        try:
            for kind in DATABASES:
                if kind == "sqlite":
                    url = f"sqlite:///{folder / 'mixed.db'}"
                elif fresh_postgres(PG_URL):
                    url = PG_URL
                else:
                    continue
                results[kind] = measure(kind, url, folder, bare, wrk)
        finally:
            bare.stop()
    print(f"\nMixed run: {TRAINEES} trainees and an admin, {CONNECTIONS} connections, "
          f"{SECONDS} s after a 3 s warm-up; gunicorn --workers 4; {os.cpu_count()} cores")
    verdicts = [report(kind, result) for kind, result in results.items()]
    print("CPU ms: the workers' CPU per request of that kind, read in the worker; wall: time "
          "in the worker (the client's p99 above includes the queue).")
    print("Every target met." if all(verdicts) else "Targets missed: see MISS above.")
    return 0  # a figure, not a test: make bench goes on (as load_bench.py does)


if __name__ == "__main__":
    sys.exit(main())
