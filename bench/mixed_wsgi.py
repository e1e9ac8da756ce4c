"""The app as the mixed load benchmark serves it: `create_app()` inside a WSGI wrapper that
records, per request, the kind of request (the X-Mix-Kind header the load generator sends),
the worker's CPU time and its wall time, and echoes the kind back in the answer.

Served by gunicorn like the real app (`gunicorn --chdir bench mixed_wsgi:app`); a request
without the header is not recorded. Records go to MIX_LOG_DIR/<pid>.tsv, one line each
(time, kind, status, CPU µs, wall µs), appended as they come: the benchmark keeps those of
its measured window. CPU is read when the app calls start_response, once Flask has built the
whole answer (its pages are rendered before they are sent).
"""

import os
import time

from trainer import create_app

LOG_DIR = os.environ["MIX_LOG_DIR"]


class Measured:
    """WSGI middleware: CPU and wall time of each request of a known kind."""

    def __init__(self, inner):
        self.inner, self.handle = inner, None

    def _write(self, line: str) -> None:
        if self.handle is None:  # opened in the worker, after gunicorn's fork
            self.handle = os.open(os.path.join(LOG_DIR, f"{os.getpid()}.tsv"),
                                  os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(self.handle, line.encode())

    def __call__(self, environ, start_response):
        kind = environ.pop("HTTP_X_MIX_KIND", None)
        if kind is None:
            return self.inner(environ, start_response)
        cpu, wall = time.thread_time_ns(), time.perf_counter_ns()

        def measured_start(status, headers, exc_info=None):
            spent = (time.thread_time_ns() - cpu) // 1000, (time.perf_counter_ns() - wall) // 1000
            self._write(f"{time.time():.3f}\t{kind}\t{status.split()[0]}\t{spent[0]}\t"
                        f"{spent[1]}\n")
            return start_response(status, [*headers, ("X-Mix-Kind", kind)], exc_info)

        return self.inner(environ, measured_start)


app = Measured(create_app())
