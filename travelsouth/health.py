"""Container health checks that also heal: ``python -m travelsouth.health worker|beat``.

worker: the worker on this host answers a ping through the broker (a hung worker does not).
beat: the beat's heartbeat file (travelsouth/beat.py) was touched in the last BEAT_HEARTBEAT_MAX_AGE
seconds (a hung beat stops touching it).

Docker only reports an unhealthy container; it does not restart it. With ``--restart-after N`` the
check kills the process named in ``--pidfile`` after N failures in a row, and the container's restart
policy starts a new one (the compose services run with ``init: true``, so that process is not PID 1).
A worker killed this way loses nothing: its messages go back to the broker, its claims run out.
"""

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path


def worker_answers(*, timeout: float = 10.0) -> bool:
    from travelsouth.celery import app

    replies = app.control.ping(destination=[f"celery@{socket.gethostname()}"], timeout=timeout)
    return any("ok" in str(reply) for reply in replies)


def beat_ticks() -> bool:
    from django.conf import settings

    heartbeat = Path(settings.BEAT_HEARTBEAT_FILE)
    try:
        age = time.time() - heartbeat.stat().st_mtime
    except FileNotFoundError:
        return False
    return age <= settings.BEAT_HEARTBEAT_MAX_AGE


CHECKS = {"worker": worker_answers, "beat": beat_ticks}


def check(role: str, *, restart_after: int = 0, pidfile: str = "", state_dir: str = "/tmp") -> bool:
    """Run ``role``'s check; count failures in a row in ``state_dir``; after ``restart_after`` of them,
    kill the process in ``pidfile``. Returns whether the check passed."""
    failures_file = Path(state_dir) / f"travelsouth-health-{role}.failures"
    try:
        healthy = CHECKS[role]()
    except Exception as error:
        print(f"{role} check failed: {error!r}", file=sys.stderr)
        healthy = False
    if healthy:
        failures_file.unlink(missing_ok=True)
        return True
    failures = int(failures_file.read_text() or 0) + 1 if failures_file.exists() else 1
    failures_file.write_text(str(failures))
    print(f"{role} unhealthy ({failures} in a row)", file=sys.stderr)
    if restart_after and failures >= restart_after and pidfile and Path(pidfile).exists():
        pid = int(Path(pidfile).read_text().strip())
        print(f"killing {role} process {pid} so that it is restarted", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        failures_file.unlink(missing_ok=True)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m travelsouth.health")
    parser.add_argument("role", choices=sorted(CHECKS))
    parser.add_argument(
        "--restart-after", type=int, default=0, help="kill the process after N failures in a row"
    )
    parser.add_argument("--pidfile", default="", help="the process to kill")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "travelsouth.settings")
    import django

    django.setup()
    return 0 if check(arguments.role, restart_after=arguments.restart_after, pidfile=arguments.pidfile) else 1


if __name__ == "__main__":
    sys.exit(main())
