"""Short load test (the full 20-session run and the 10-minute soak are ``bench/load.py``): 5
concurrent gradio_client sessions × 3 questions against the running app while an admin ingests a
new document through the app. No errors, every answer complete (figure, citation), latency
reported, the app's memory sampled."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO
from tests.reliability.conftest import ADMIN, STAFF


def _bench():
    spec = importlib.util.spec_from_file_location("bench_load", REPO / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


def test_five_concurrent_sessions_with_a_concurrent_ingest(running_app):
    bench = _bench()
    result = bench.run_load(running_app.url, running_app.process.pid, STAFF, sessions=5, rounds=3, admin=ADMIN,
                            knowledge=running_app.knowledge_dir)
    print("\n" + bench.table([("test: 5 sessions × 3 + ingest", result)]))
    assert result.errors == [], result.errors
    assert result.incomplete == [], result.incomplete
    assert result.requests == 15
    assert result.ingest.endswith("ok"), result.ingest
    assert result.p95 < 60
    assert result.peak_rss_kb < 3 * 1024 * 1024  # well under 3 GB
    assert running_app.process.poll() is None
