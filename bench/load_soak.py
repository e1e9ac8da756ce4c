"""The soak of the load benchmark: simulated trainees submit vignettes through the JSON API
against PostgreSQL; afterwards no 5xx, no lost or duplicated attempt, flat worker memory.

Each trainee is one thread with its own API token, submitting back to back (no think time)
the expert answers of the vignettes in turn, each POST with its own Idempotency-Key; a
request that fails at the socket is sent again with the same key, as a client should.
"""

import json
import os
import threading
import time

from load_tools import QUIET_WAIT, CpuWatch, Server, hammer, rss_mib, timed, wait_quiet
from sqlalchemy import create_engine, text

SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
SOAK_CLIENTS = int(os.environ.get("SOAK_CLIENTS", "100"))
SAMPLE_EVERY = 10


def submitter(port: int, tokens: list[str], answers: dict, acknowledged: set, prefix: str):
    """The step of one simulated trainee: one submission, retried on a socket error."""
    keys = sorted(answers)
    bodies = {key: json.dumps({"answers": answers[key]}).encode() for key in keys}

    def step(client: int, n: int, record) -> None:
        vignette, key = keys[(client + n) % len(keys)], f"{prefix}-{client}-{n}"
        headers = {"Authorization": f"Bearer {tokens[client]}", "Idempotency-Key": key,
                   "Content-Type": "application/json"}
        for _ in range(3):
            status, elapsed = timed(port, "POST", f"/api/v1/vignettes/{vignette}/attempts",
                                    headers, bodies[vignette])
            record(status, elapsed)
            if status is not None:
                break
            time.sleep(0.2)
        if status in (200, 201):
            acknowledged.add(key)

    return step


def stored_keys(url: str) -> tuple[int, dict[str, int]]:
    """All attempts, and the soak's attempts per idempotency key."""
    engine = create_engine(url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM vignette_attempts")).scalar_one()
        per_key = dict(connection.execute(text(
            "SELECT idempotency_key, count(*) FROM vignette_attempts "
            "WHERE idempotency_key LIKE 'api:soak-%' GROUP BY idempotency_key")).all())
    engine.dispose()
    return total, per_key


def memory(server: Server) -> dict[int, float]:
    readings = {}
    for pid in server.workers():
        try:
            readings[pid] = rss_mib(pid)
        except OSError:
            continue  # the worker exited between the listing and the reading
    return readings


def soak(server: Server, bare: Server, url: str, tokens: list[str], answers: dict) -> dict:
    """Run the soak and print what it found; returns the figures."""
    clients = min(SOAK_CLIENTS, len(tokens))
    ceiling = hammer(submitter(bare.port, tokens, answers, set(), "ceiling"), clients, 5)
    rows_before, _ = stored_keys(url)
    wait_quiet([server, bare], QUIET_WAIT)
    watch = CpuWatch([server, bare], server.port)
    acknowledged: set[str] = set()
    samples, done = [(0, memory(server))], threading.Event()
    started = time.monotonic()

    def sample() -> None:
        while not done.wait(SAMPLE_EVERY):
            samples.append((round(time.monotonic() - started), memory(server)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    load = hammer(submitter(server.port, tokens, answers, acknowledged, "soak"), clients,
                  SOAK_SECONDS)
    other, worker_ms, database_ms = watch.other_cores(), watch.worker_ms(), watch.database_ms()
    done.set()
    sampler.join()
    samples.append((round(time.monotonic() - started), memory(server)))
    rows_after, per_key = stored_keys(url)
    stored = {key.removeprefix("api:") for key in per_key}
    figures = {
        "clients": clients, "seconds": load.seconds, "requests": load.requests,
        "rps": load.rps, "p50_ms": load.p50_ms, "p99_ms": load.p99_ms,
        "statuses": dict(load.statuses), "socket_errors": load.socket_errors,
        "server_errors": sum(n for s, n in load.statuses.items() if s >= 500),
        "acknowledged": len(acknowledged), "rows_added": rows_after - rows_before,
        "lost": len(acknowledged - stored), "unacknowledged": len(stored - acknowledged),
        "duplicated": sum(n - 1 for n in per_key.values() if n > 1),
        "ceiling_rps": ceiling.rps, "samples": samples, "other_cores": other,
        "cpu_ms": worker_ms / max(load.requests, 1), "db_ms": database_ms / max(load.requests, 1)}
    print_soak(figures)
    return figures


def print_soak(f: dict) -> None:
    print(f"\nSoak: PostgreSQL, {f['clients']} trainees submitting through the API for "
          f"{f['seconds']:.0f} s, no think time")
    print(f"  generator ceiling (same threads against the bare app): {f['ceiling_rps']:.0f} req/s")
    print(f"  {f['requests']} responses, {f['rps']:.0f} req/s, p50 {f['p50_ms']:.0f} ms, "
          f"p99 {f['p99_ms']:.0f} ms; statuses {f['statuses']}; 5xx {f['server_errors']}; "
          f"socket errors {f['socket_errors']}")
    print(f"  CPU per submission: workers {f['cpu_ms']:.1f} ms, PostgreSQL {f['db_ms']:.1f} ms; "
          f"other processes used {f['other_cores']:.2f} cores meanwhile")
    print(f"  attempts: {f['acknowledged']} acknowledged (201/200), {f['rows_added']} rows "
          f"added; lost {f['lost']}, duplicated {f['duplicated']}, stored without an "
          f"answer {f['unacknowledged']}")
    first, last = f["samples"][0][1], f["samples"][-1][1]
    print("  worker RSS MiB, start -> end: " + ", ".join(
        f"{pid}: {first[pid]:.1f} -> {last[pid]:.1f}" if pid in last else f"{pid}: gone"
        for pid in sorted(first)))
    for at, readings in f["samples"]:
        print(f"    t={at:>3} s  " + "  ".join(f"{readings[p]:.1f}" for p in sorted(readings)))
