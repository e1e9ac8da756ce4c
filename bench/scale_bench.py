"""Page time and SQL query count as an organisation grows (N = 200 and N = 2,000).

Builds a fresh database per N (SQLite by default; PostgreSQL when BENCH_DATABASE_URL is
set), generates the organisation with bench/scale_data.py, then requests the trainee home,
the supervisor list, the admin cohort heatmap and the item analysis pages (a vignette's over
first and over all attempts, a module check's) through the app, three times each, and prints
the best time and the number of SQL queries of each page. Before each request the view
models (the trainee profile, the cohort view) are forgotten, in memory and in their table,
so every request measures the build itself, not a stored view model.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_data import PASSWORD, generate  # noqa: E402

from trainer import create_app  # noqa: E402
from trainer.content.models import Module, Vignette  # noqa: E402
from trainer.content.services import DEFAULT_PATHS, sync_content  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.viewcache import ViewModel  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "200,2000").split(",")]
PAGES = [("trainee home", "trainee", "/trainee"), ("supervisor list", "supervisor", "/supervisor"),
         ("admin heatmap", "admin", "/competency/cohort"),
         # {vignette} and {module}: the first shipped vignette and module check, by id
         ("item analysis vignette", "admin", "/item-analysis/vignettes/{vignette}"),
         ("item analysis, all", "admin", "/item-analysis/vignettes/{vignette}?attempts=all"),
         ("item analysis check", "admin", "/item-analysis/checks/{module}")]


def fresh_database(folder: Path, n: int) -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder / f'scale-{n}.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


def forget_view_models(app) -> None:
    if "viewcache" in app.extensions:
        app.extensions["viewcache"].clear()
    with app.app_context():
        db.session.execute(db.delete(ViewModel))
        db.session.commit()


def measure(app, who: dict, role: str, path: str) -> tuple[float, int]:
    client = app.test_client()
    response = client.post("/login", data={"email": who[role], "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    counts, best = [], float("inf")
    with app.app_context():
        engine = db.engine
    for _ in range(3):
        forget_view_models(app)
        seen: list[int] = []
        listener = lambda *args, seen=seen: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        start = time.perf_counter()
        page = client.get(path)
        best = min(best, time.perf_counter() - start)
        event.remove(engine, "before_cursor_execute", listener)
        assert page.status_code == 200, (path, page.status_code)
        counts.append(len(seen))
    return best, counts[-1]  # counts: first (cache fill) vs later requests differ


def run_size(folder: Path, n: int) -> list[tuple[str, float, int]]:
    url = fresh_database(folder, n)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 8,
                      "PASSWORD_HASH_PARALLELISM": 1})
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        _, problems = sync_content(list(DEFAULT_PATHS))
        assert not problems, problems
        db.session.commit()
        started = time.perf_counter()
        who = generate(n)
        db.session.execute(text("ANALYZE"))  # planner statistics, as a live database has them
        db.session.commit()
        print(f"N={n}: data generated in {time.perf_counter() - started:.1f} s", flush=True)
        keys = first_keys()
    return [(name, *measure(app, {"trainee": who["trainee"], "supervisor": who["supervisor"],
                                  "admin": who["admin"]}, role, path.format(**keys)))
            for name, role, path in PAGES]


def first_keys() -> dict[str, str]:
    """The ids the item analysis pages are measured on."""
    return {"vignette": db.session.scalar(select(Vignette.key).order_by(Vignette.key)),
            "module": db.session.scalar(select(Module.key).order_by(Module.key))}


def main() -> int:
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    with tempfile.TemporaryDirectory() as folder:
        results = {n: run_size(Path(folder), n) for n in SIZES}
    print(f"\n{database}: best of 3 requests (in-process), SQL queries per page")
    print(f"{'page':<24}" + "".join(f"{f'N={n}':>24}" for n in SIZES))
    for index, (name, _, _) in enumerate(PAGES):
        cells = [f"{results[n][index][1] * 1000:9.0f} ms {results[n][index][2]:4d} queries"
                 for n in SIZES]
        print(f"{name:<24}" + "".join(f"{cell:>24}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
