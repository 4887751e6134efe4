"""gunicorn's configuration for production: ``gunicorn -c python:hrcoop.config.gunicorn hrcoop.config.wsgi``.

Every value can be changed by an ``HRCOOP_*`` variable (or gunicorn's own command-line flags, which
win). docs/deploy.md says how many servers and workers to run, and why.
"""

from __future__ import annotations

import os
from typing import Any

from hrcoop.config.settings import LOG_FORMATTERS

bind = os.environ.get("HRCOOP_BIND", "127.0.0.1:8000")
# Two workers per core (the requests wait on the database about half the time), two threads each so
# that a slow export does not hold a worker's only thread.
workers = int(os.environ.get("HRCOOP_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("HRCOOP_THREADS", "2"))
# Whole-registry exports stream for up to a minute; anything longer is stuck.
timeout = int(os.environ.get("HRCOOP_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do not all restart at once):
# the sentence encoder and caches grow a worker's memory over days.
max_requests = int(os.environ.get("HRCOOP_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The application (its views, templates and catalogues: hrcoop/core/warmup.py) is loaded once in the
# master and shared by the workers it forks: a new or recycled worker serves its first request at once,
# and the code's memory is shared rather than loaded again per worker.
preload_app = True
# Heartbeat files in memory, not on a disk that may stall under load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The TLS-terminating proxy's address, whose X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("HRCOOP_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# gunicorn's own logs in the same format as the application's (HRCOOP_LOG_FORMAT=json: JSON lines).
_format = os.environ.get("HRCOOP_LOG_FORMAT", "text")
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"default": LOG_FORMATTERS.get(_format, LOG_FORMATTERS["text"])},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def child_exit(server: Any, worker: Any) -> None:
    """In Prometheus's multiprocess mode (PROMETHEUS_MULTIPROC_DIR set), forget a dead worker's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
