"""Full HTTP submit: POST /api/v1/vignettes/<id>/attempts over loopback, timed end to end.

Serves the app (SQLite in a temporary folder, content loaded) with werkzeug's threaded
server on 127.0.0.1 and submits the expert attempt of one vignette N times, one at a time.
"""

import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score_bench import expert_attempt  # noqa: E402

from trainer import create_app  # noqa: E402
from trainer.content.services import DEFAULT_PATHS, sync_content  # noqa: E402
from trainer.extensions import db  # noqa: E402

ROUNDS = 300
PASSWORD = "bench-lantern-meadow-47"  # noqa: S105


def build_app(folder: Path):
    """An app on a fresh, migrated SQLite database with the project's content."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                      "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        _, problems = sync_content(list(DEFAULT_PATHS))
        assert not problems, problems
        db.session.commit()
    runner = app.test_cli_runner()
    runner.invoke(args=["orgs", "create", "--slug", "bench", "--name", "Bench"])
    runner.invoke(args=["users", "create", "--email", "t@bench.example", "--name", "T",
                        "--password", PASSWORD, "--org", "bench", "--role", "trainee"])
    return app


def request(port: int, method: str, path: str, body=None, token=None):
    """One request on a new connection; returns (status, parsed JSON)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data) if data else None


def main() -> int:
    """Print the latency of a full submit: mean, median and 95th percentile."""
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_port
        _, token = request(port, "POST", "/api/v1/tokens",
                           {"email": "t@bench.example", "password": PASSWORD})
        token = token["token"]
        with app.app_context():
            from trainer.vignettes.queries import vignette_by_key

            vignette = vignette_by_key("grief-widower-older-adult").data
        answers, _ = expert_attempt(vignette)
        path = f"/api/v1/vignettes/{vignette['id']}/attempts"
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            status, _ = request(port, "POST", path, {"answers": answers}, token)
            timings.append((time.perf_counter() - start) * 1000)
            assert status == 201, status
        server.shutdown()
    timings.sort()
    print(f"{ROUNDS} HTTP submits (score + write, SQLite, one client, werkzeug server)")
    print(f"mean {statistics.mean(timings):.2f} ms · p50 {timings[len(timings) // 2]:.2f} ms"
          f" · p95 {timings[int(len(timings) * 0.95)]:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
