"""Load benchmark (issue #9): the app under gunicorn, loaded from a second process, against a
bare Flask app served the same way, on SQLite and on PostgreSQL; then a 60 s soak.

Per database: a fresh database (SQLite in a temporary folder; PostgreSQL database `bench`,
dropped and created again), `flask demo` plus an organisation of BENCH_TRAINEES trainees
(bench/scale_data.py), the production command of the README (`gunicorn --workers 4
wsgi:app`, TRAINER_ENV=production, SESSION_COOKIE_SECURE=0 for loopback http), and
bench/bare_app.py under the same command. wrk (32 connections, 2 s warm-up, 12 s measured)
requests each page with a signed-in session cookie and posts submissions through the JSON
API. The soak: 100 trainees, one thread and one API token each, submit for 60 s against
PostgreSQL; then the attempts are counted and the workers' memory compared.

Settings (environment): BENCH_TRAINEES (200), BENCH_SECONDS (12), BENCH_CONNECTIONS (32),
BENCH_DATABASES (sqlite,postgresql), BENCH_PG_URL (postgresql+psycopg://postgres@127.0.0.1/
bench), SOAK_SECONDS (60), SOAK_CLIENTS (100).
"""

import json
import os
import re
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from flask_migrate import upgrade
from sqlalchemy import bindparam, create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_soak import soak  # noqa: E402
from load_tools import (  # noqa: E402
    Load,
    Server,
    ensure_wrk,
    port_free,
    run_python,
    run_wrk,
)
from scale_data import PASSWORD, generate  # noqa: E402
from score_bench import expert_attempt  # noqa: E402

from trainer import MIGRATIONS_DIR, create_app  # noqa: E402
from trainer.auth.models import User  # noqa: E402
from trainer.auth.services import issue_api_token  # noqa: E402
from trainer.content.models import Vignette  # noqa: E402
from trainer.extensions import db  # noqa: E402

N = int(os.environ.get("BENCH_TRAINEES", "200"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "12"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1/bench")
SOAK_CLIENTS = int(os.environ.get("SOAK_CLIENTS", "100"))
PORTS = {"sqlite": 8101, "postgresql": 8102, "bare": 8103}
VIGNETTE = "grief-widower-older-adult"
P99_LIMIT_MS = 150
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OPTION = re.compile(r'name="answer"[^>]*value="([^"]+)"')


@dataclass
class Endpoint:
    """One measured endpoint: who requests it, how, and its throughput target."""

    name: str
    who: str  # trainee, admin, token (the API trainee) or bare
    path: str
    expected: int
    target: float | None  # least throughput as a share of the bare app's


ENDPOINTS = [
    Endpoint("bare app", "bare", "/", 200, None),
    Endpoint("vignette catalogue", "trainee", "/vignettes/", 200, 0.20),
    Endpoint("vignette stage page", "trainee", f"/vignettes/{VIGNETTE}/stages/2", 200, None),
    Endpoint("vignette submission", "token", f"/api/v1/vignettes/{VIGNETTE}/attempts", 201,
             0.12),
    Endpoint("trainee home", "trainee", "/trainee", 200, 0.08),
    Endpoint("admin cohort heatmap", "admin", "/competency/cohort", 200, 0.08),
    Endpoint("bare app, again", "bare", "/", 200, None),
]


def seed(url: str) -> dict:
    """Migrate, load `flask demo` and the scale organisation; API tokens for the trainees."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-seed",
                      "RATELIMIT_ENABLED": False, "PASSWORD_HASH_TIME_COST": 1,
                      "PASSWORD_HASH_MEMORY_KIB": 8, "PASSWORD_HASH_PARALLELISM": 1})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    demo = app.test_cli_runner().invoke(args=["demo", "--password", PASSWORD])
    assert demo.exit_code == 0, demo.output
    with app.app_context():
        who = generate(N)
        emails = [f"trainee{i}@scale.example" for i in range(1, SOAK_CLIENTS + 1)]
        users = {u.email: u for u in db.session.scalars(select(User).where(
            User.email.in_(emails)))}
        tokens = [issue_api_token(users[email])[0] for email in emails]
        answers = {v.key: expert_attempt(v.data)[0] for v in db.session.scalars(
            select(Vignette).where(Vignette.latest.is_(True)))}
        db.session.commit()
        db.session.execute(text("ANALYZE"))  # planner statistics, as a live database has them
        db.session.commit()
        db.engine.dispose()
    return {"trainee": who["trainee"], "admin": who["admin"], "tokens": tokens,
            "answers": answers}


def fresh_postgres(url: str) -> bool:
    """Drop and create the bench database; False when PostgreSQL does not answer."""
    name = make_url(url).database
    assert name not in ("test", "postgres", None), f"refusing to recreate database {name!r}"
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:  # no server, or no access: that database is skipped
        print(f"PostgreSQL at {make_url(url).host} skipped: {str(exc.orig).strip()[:200]}")
        return False
    finally:
        engine.dispose()
    return True


def sign_in(port: int, email: str) -> requests.Session:
    """A browser-like session through the sign-in form (CSRF token included)."""
    browser, base = requests.Session(), f"http://127.0.0.1:{port}"
    token = CSRF.search(browser.get(f"{base}/login").text).group(1)
    answer = browser.post(f"{base}/login", allow_redirects=False,
                          data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, (email, answer.status_code)
    return browser


def open_stage_two(port: int, browser: requests.Session) -> None:
    """Start the vignette and answer stage 1 through the forms, so stage 2 has a draft."""
    base = f"http://127.0.0.1:{port}/vignettes/{VIGNETTE}"
    token = CSRF.search(browser.get(base).text).group(1)
    started = browser.post(f"{base}/start", data={"csrf_token": token}, allow_redirects=False)
    assert started.status_code == 303, started.status_code
    page = browser.get(f"{base}/stages/1").text
    option = OPTION.search(page)
    answer = option.group(1) if option else "A considered answer."
    saved = browser.post(f"{base}/stages/1", allow_redirects=False, data={
        "csrf_token": CSRF.search(page).group(1), "answer": answer})
    assert saved.status_code == 303, saved.status_code


def cookie_header(browser: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def attempts_of(url: str, emails: list[str]) -> int:
    """How many vignette attempts these trainees have stored."""
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text(
            "SELECT count(*) FROM vignette_attempts JOIN users ON users.id = user_id "
            "WHERE users.email IN :emails").bindparams(
                bindparam("emails", expanding=True)), {"emails": emails}).scalar_one()
    engine.dispose()
    return count


def app_env(url: str, folder: Path) -> dict:
    """The production configuration, with Secure cookies off for loopback http."""
    return {**os.environ, "TRAINER_ENV": "production", "SESSION_COOKIE_SECURE": "0",
            "DATABASE_URL": url, "SECRET_KEY": secrets.token_urlsafe(32),
            "INSTANCE_PATH": str(folder / "instance"), "RATELIMIT_STORAGE_URI": "memory://"}


def measure(kind: str, url: str, folder: Path, bare: Server, load) -> list[tuple]:
    """Seed, serve and load one database; the PostgreSQL pass ends with the soak."""
    started = time.perf_counter()
    seeded = seed(url)
    print(f"{kind}: seeded in {time.perf_counter() - started:.0f} s", flush=True)
    server = Server("wsgi:app", PORTS[kind], app_env(url, folder), folder / f"{kind}.log",
                    database=make_url(url).database if kind == "postgresql" else None)
    try:
        trainee = sign_in(server.port, seeded["trainee"])
        open_stage_two(server.port, trainee)
        headers = {"trainee": {"Cookie": cookie_header(trainee)},
                   "admin": {"Cookie": cookie_header(sign_in(server.port, seeded["admin"]))},
                   "token": {}, "bare": {}}
        body = folder / "submission.json"
        body.write_text(json.dumps({"answers": seeded["answers"][VIGNETTE]}))
        tokens = seeded["tokens"][:CONNECTIONS]  # one trainee per connection
        (folder / "tokens.txt").write_text("\n".join(tokens) + "\n")
        submitters = [f"trainee{i}@scale.example" for i in range(1, len(tokens) + 1)]
        rows = []
        for endpoint in ENDPOINTS:
            port = bare.port if endpoint.who == "bare" else server.port
            posting, counted = endpoint.who == "token", []
            result = load(port, endpoint.path, headers[endpoint.who], [server, bare],
                          body if posting else None, folder / "tokens.txt" if posting else None,
                          (lambda c=counted: c.append(attempts_of(url, submitters)))
                          if posting else None)
            if posting:
                stored = attempts_of(url, submitters) - counted[0]
                print(f"{kind}: {result.statuses[201]} submissions answered 201, {stored} "
                      f"attempts stored (requests in flight when wrk stops are stored "
                      f"unanswered)", flush=True)
            rows.append((kind, endpoint, result))
            print(f"{kind}: {endpoint.name}: {result.rps:.0f} req/s", flush=True)
        if kind == "postgresql":
            soak(server, bare, url, seeded["tokens"], seeded["answers"])
    finally:
        server.stop()
    return rows


def loader(wrk: str | None):
    """The measuring function: wrk when there is one, else the Python generator."""

    def with_wrk(port, path, headers, servers, body, tokens, between) -> Load:
        return run_wrk(wrk, port, path, headers, SECONDS, CONNECTIONS, servers, body, tokens,
                       between)

    def with_python(port, path, headers, servers, body, tokens, between) -> Load:
        return run_python(port, path, headers, SECONDS, CONNECTIONS, servers,
                          body.read_bytes() if body else None,
                          tokens.read_text().split() if tokens else None, between)

    return with_wrk if wrk else with_python


def verdict(endpoint: Endpoint, result: Load, ratio: float) -> str:
    misses = []
    if endpoint.target is not None and ratio < endpoint.target:
        misses.append("ratio")
    if result.failed(endpoint.expected):
        misses.append("errors" if result.requests else "no answer within the run")
    if result.p99_ms >= P99_LIMIT_MS:
        misses.append("p99")
    return "met" if not misses else "MISS: " + ", ".join(misses)


def print_table(rows: list[tuple], generator: str) -> None:
    """One line per endpoint; ratios against the better of the database's two bare runs
    (other work on the machine can only have slowed a run down)."""
    print(f"\n{generator}, {CONNECTIONS} connections, {SECONDS} s per endpoint after a 2 s "
          f"warm-up; gunicorn --workers 4 (sync); {N} trainees; {os.cpu_count()} cores")
    print(f"{'database':<11}{'endpoint':<22}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'ratio':>7}"
          f"{'target':>8}{'errors':>7}{'CPU ms':>8}{'DB ms':>7}{'CPU ratio':>10}{'other':>7}"
          "  verdict")
    bare = {}
    for kind, endpoint, result in rows:
        if endpoint.who == "bare" and (kind not in bare or result.rps > bare[kind].rps):
            bare[kind] = result
    for kind, endpoint, result in rows:
        spent = result.cpu_ms + result.db_ms
        ratio, cpu_ratio = result.rps / bare[kind].rps, bare[kind].cpu_ms / spent if spent else 0
        target = f">={endpoint.target:.2f}" if endpoint.target else "-"
        p50, p99 = (f"{result.p50_ms:8.1f}", f"{result.p99_ms:8.1f}") if result.requests \
            else (f"{'-':>8}", f"{'-':>8}")
        print(f"{kind:<11}{endpoint.name:<22}{result.rps:7.0f}{p50}{p99}{ratio:7.3f}"
              f"{target:>8}{result.errors(endpoint.expected):7d}{result.cpu_ms:8.1f}"
              f"{result.db_ms:7.1f}{cpu_ratio:10.3f}{result.other_cores:7.2f}  "
              f"{verdict(endpoint, result, ratio)}")
    print("ratio: req/s over the bare app's (the better of its two runs). CPU ms: the gunicorn "
          "workers' CPU time per answered request; DB ms: the PostgreSQL backends' (SQLite "
          "runs inside the workers); CPU ratio: the bare app's CPU ms over the endpoint's CPU "
          "+ DB ms, a cross-check that other work on the machine hardly moves; other: cores "
          "used meanwhile by processes outside this benchmark (the machine is shared).")


def main() -> int:
    """Measure every database, print the table; the soak prints its own summary."""
    for port in PORTS.values():
        assert port_free(port), f"port {port} is in use"
    wrk = ensure_wrk()
    generator = "wrk 4 (bench/load.lua)" if wrk else "Python threads (wrk not found)"
    rows = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["INSTANCE_PATH"] = str(folder / "instance")  # nothing written in the tree
        bare = Server("bare_app:app", PORTS["bare"], dict(os.environ), folder / "bare.log",
                      chdir=Path(__file__).resolve().parent)
        try:
            for kind in DATABASES:
                if kind == "sqlite":
                    url = f"sqlite:///{folder / 'bench.db'}"
                elif fresh_postgres(PG_URL):
                    url = PG_URL
                else:
                    continue
                rows += measure(kind, url, folder, bare, loader(wrk))
        finally:
            bare.stop()
    print_table(rows, generator)
    return 0


if __name__ == "__main__":
    sys.exit(main())
