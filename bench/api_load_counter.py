"""bench/api_load.py's statement counter: each gunicorn worker writes how many requests it has
answered, how many SQL statements Django executed for them (BEGIN/COMMIT are not statements
Django executes, so they are not counted), when the last one ended and how many it answered with
each status, to a file of its own in BENCH_STATEMENTS_DIR. Throughput is read from these:
requests answered / time since the phase began until the last answer, on the server's side,
whatever the load generator does. Fillers (bench/api_load.lua) are answered 204 here, uncounted."""

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.http import HttpRequest, HttpResponse


class StatementCounter:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.requests = 0
        self.statements = 0
        self.statuses: dict[str, int] = {}
        self.path = Path(os.environ.get("BENCH_STATEMENTS_DIR", "/tmp")) / str(os.getpid())  # noqa: S108

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "x-bench-filler" in request.headers:  # bench/api_load.lua's, once its list is done
            return HttpResponse(status=204)
        with connection.execute_wrapper(self._count):
            response = self.get_response(request)
        self.requests += 1
        key = str(response.status_code)
        self.statuses[key] = self.statuses.get(key, 0) + 1
        statuses = json.dumps(self.statuses, separators=(",", ":"))
        self.path.write_text(f"{self.requests} {self.statements} {time.time():.6f} {statuses}")
        return response

    def _count(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)
