"""CPU time per request of the load benchmark's endpoints, in-process (issue #9).

A quick companion to bench/load_bench.py for working on a page: the same data (flask demo
plus the scale organisation of BENCH_TRAINEES trainees on SQLite), the production
configuration, the Flask test client instead of gunicorn and wrk. Prints the CPU time
(`time.process_time`) and SQL queries per request of each endpoint; with PROFILE=<name
prefix> also the cProfile of that endpoint, sorted by cumulative time.

    .venv/bin/python bench/page_profile.py
    PROFILE=catalogue .venv/bin/python bench/page_profile.py
    VIEW_MODELS=cold .venv/bin/python bench/page_profile.py  # as a worker that never built them
    VIEW_MODELS=rebuilt .venv/bin/python bench/page_profile.py  # every view model built again
    PROFILE_PG_URL=postgresql+psycopg://postgres@127.0.0.1/bench .venv/bin/python \
        bench/page_profile.py  # PostgreSQL (that database is dropped and created again)
"""

import cProfile
import json
import os
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("BENCH_TRAINEES", "200")
from load_bench import CSRF, OPTION, VIGNETTE, fresh_postgres, seed  # noqa: E402
from scale_data import PASSWORD  # noqa: E402

ROUNDS = int(os.environ.get("PROFILE_ROUNDS", "200"))
PAGES = [("catalogue", "trainee", "GET", "/vignettes/"),
         ("stage page", "trainee", "GET", f"/vignettes/{VIGNETTE}/stages/2"),
         ("submission", "token", "POST", f"/api/v1/vignettes/{VIGNETTE}/attempts"),
         ("api floor (me)", "token", "GET", "/api/v1/me"),
         ("module page", "trainee", "GET", "/modules/ipt-initial-phase"),
         ("trainee home", "trainee", "GET", "/trainee"),
         ("cohort heatmap", "admin", "GET", "/competency/cohort")]


def signed_in(app, email: str):
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"email": email, "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 303, answer.status_code
    return client


def stage_two(client) -> None:
    base = f"/vignettes/{VIGNETTE}"
    token = CSRF.search(client.get(base).get_data(as_text=True)).group(1)
    assert client.post(f"{base}/start", data={"csrf_token": token}).status_code == 303
    page = client.get(f"{base}/stages/1").get_data(as_text=True)
    option = OPTION.search(page)
    assert client.post(f"{base}/stages/1", data={
        "csrf_token": CSRF.search(page).group(1),
        "answer": option.group(1) if option else "A considered answer."}).status_code == 303


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy, write-ahead log included."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


SEEDED: dict = {}
VIEW_MODELS = os.environ.get("VIEW_MODELS", "kept")  # kept, cold or rebuilt


def forget_view_models(app) -> None:
    """cold: this process's view models are forgotten (the stored ones stay), as in a
    worker that never built them; rebuilt: the stored ones too, so every page builds its
    view model again."""
    if VIEW_MODELS in ("cold", "rebuilt") and "viewcache" in app.extensions:
        app.extensions["viewcache"].clear()
    if VIEW_MODELS == "rebuilt":
        from trainer.extensions import db
        from trainer.viewcache import ViewModel

        with app.app_context():
            db.session.execute(db.delete(ViewModel))
            db.session.commit()


def seed_sqlite(folder: Path) -> str:
    """Seed a SQLite database in the folder; its path."""
    SEEDED.update(seed(f"sqlite:///{folder / 'seed.db'}"))
    return str(folder / "seed.db")


def schema_and_size() -> str:
    """What a stored seed database was made for: the migrations and the trainees."""
    migrations = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    return f"{migrations[-1]}/{os.environ['BENCH_TRAINEES']}"


def seeded_for(meta: Path) -> str | None:
    """A stored seed database is used again only if it was made for this schema and size."""
    if not meta.exists() or not meta.with_suffix(".db").exists():
        return None
    return json.loads(meta.read_text()).get("seeded_for")


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    database = os.environ.get("PROFILE_PG_URL")  # a scratch PostgreSQL database, recreated
    if database:
        assert fresh_postgres(database), "PostgreSQL did not answer"
        seeded = seed(database)
    cached = Path(os.environ.get("PROFILE_DB_CACHE")
                  or Path(tempfile.gettempdir()) / "page_profile.db")
    meta = cached.with_suffix(".json")
    if not database:
        if seeded_for(meta) != schema_and_size():
            copy_database(Path(seed_sqlite(folder)), cached)
            meta.write_text(json.dumps({"seeded_for": schema_and_size(), **SEEDED}))
        seeded = json.loads(meta.read_text())
        copy_database(cached, folder / "bench.db")
        database = f"sqlite:///{folder / 'bench.db'}"
    from trainer import create_app
    from trainer.config import ProductionConfig
    from trainer.extensions import db

    class Settings(ProductionConfig):  # the production settings, on loopback http
        SQLALCHEMY_DATABASE_URI = database
        SECRET_KEY = "page-profile"  # noqa: S105
        SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = False
        RATELIMIT_STORAGE_URI = "memory://"

    os.environ["INSTANCE_PATH"] = str(folder / "instance")
    app = create_app(Settings)
    clients = {"trainee": signed_in(app, seeded["trainee"]),
               "admin": signed_in(app, seeded["admin"])}
    stage_two(clients["trainee"])
    body = json.dumps({"answers": seeded["answers"][VIGNETTE]})
    tokens = seeded["tokens"][:32]
    api = app.test_client()
    queries: list[int] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
    wanted = os.environ.get("PROFILE")
    print(f"{'endpoint':<16}{'CPU ms':>8}{'wall ms':>9}{'queries':>9}")
    for name, who, method, path in PAGES:
        def once(i: int, name=name, who=who, method=method, path=path):
            if who == "token" and method == "GET":
                answer = api.get(path, headers={"Authorization": f"Bearer {tokens[i % 32]}"})
            elif who == "token":
                answer = api.post(path, data=body, content_type="application/json",
                                  headers={"Authorization": f"Bearer {tokens[i % 32]}"})
            else:
                forget_view_models(app)
                answer = clients[who].open(path, method=method)
            assert answer.status_code in (200, 201), (name, answer.status_code)
        for i in range(5):
            once(i)
        queries.clear()
        clock = time.process_time if os.environ.get("PROFILE_CLOCK") == "cpu" else time.perf_counter
        profile = cProfile.Profile(clock) if wanted and name.startswith(wanted) else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        for i in range(ROUNDS):
            once(i)
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"{name:<16}{cpu / ROUNDS * 1000:8.2f}{wall / ROUNDS * 1000:9.2f}"
              f"{len(queries) / ROUNDS:9.1f}", flush=True)
        if profile:
            pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))\
                .print_stats(45)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
