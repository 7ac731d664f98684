"""`make run`: web, worker and beat from the Procfile in one terminal, through honcho, with
Ctrl-C a clean stop rather than an error.

What plain `honcho start` does on Ctrl-C, and what this changes:
- It sends SIGTERM to each process's whole group, so the Celery worker's pool children died
  under it mid-shutdown ("Process 'ForkPoolWorker-1' exited with signal 15"). Here each
  process gets the signal it stops cleanly on (STOP_SIGNALS): the worker's main process alone
  gets SIGTERM (a warm shutdown that stops its pool, exit 0; on SIGINT it exits 1), the others'
  groups get SIGINT, what Ctrl-C gives a program run on its own (runserver and its reloader, beat).
- It exits 130 after an interrupt. Here an interrupt exits 0 once every process has stopped.
- make, which also gets the terminal's SIGINT, prints "make: *** [run] Interrupt" and fails.
  This process takes the terminal's foreground, as a shell does for a job, so Ctrl-C reaches it
  and not make; it hands the terminal back before it exits.

Usage: python scripts/devrun.py [Procfile]  (PORT from the environment, as for honcho).
"""

import os
import signal
import sys
from contextlib import contextmanager, suppress

from honcho import command, manager

# honcho's exit status after it got SIGINT or SIGTERM itself.
INTERRUPTED = {130, 143}
# Per Procfile name: (signal, to the whole process group?). Anything else: SIGINT to its group.
STOP_SIGNALS = {"worker": (signal.SIGTERM, False)}
DEFAULT_STOP = (signal.SIGINT, True)
# Once one process has stopped, honcho kills the rest after this many seconds. Its 5 s cut the
# worker's warm shutdown short (it finishes the task at hand, and polls the broker each second).
STOP_WAIT_SECONDS = 30


class _Manager(manager.Manager):
    """honcho's Manager, stopping each process with its own signal (honcho 2.0, pinned)."""

    def _killall(self, force: bool = False) -> None:
        if force:
            super()._killall(force=True)
            return
        for name, process in self._processes.items():
            if "returncode" in process or process.get("pid") is None:
                continue
            signum, group = STOP_SIGNALS.get(name.rsplit(".", 1)[0], DEFAULT_STOP)
            target = "group" if group else "process"
            self._system_print(
                f"sending {signal.Signals(signum).name} to {name} ({target} {process['pid']})\n"
            )
            with suppress(ProcessLookupError):
                (os.killpg if group else os.kill)(process["pid"], signum)


@contextmanager
def _terminal_foreground():
    """Make this process's own group the terminal's foreground group while it runs."""
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:  # no terminal (CI, a pipe): nothing to take
        yield
        return
    try:
        previous = os.tcgetpgrp(tty)
        if previous != os.getpgrp():  # started in the background: leave the terminal alone
            yield
            return
        with suppress(PermissionError):  # already a session or group leader: fine
            os.setpgid(0, 0)
        _set_foreground(tty, os.getpgrp())
        try:
            yield
        finally:
            _set_foreground(tty, previous)
    finally:
        os.close(tty)


def _set_foreground(tty: int, group: int) -> None:
    # A process outside the foreground group gets SIGTTOU for tcsetpgrp unless it ignores it.
    old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(tty, group)
    except OSError:
        pass
    finally:
        signal.signal(signal.SIGTTOU, old)


def main(argv: list[str]) -> int:
    procfile = argv[0] if argv else "Procfile"
    manager.KILL_WAIT = STOP_WAIT_SECONDS
    command.Manager = _Manager  # what `honcho start` instantiates
    with _terminal_foreground():
        try:
            command.main(["start", "--procfile", procfile])
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else 1
        else:
            status = 0
    return 0 if status in INTERRUPTED else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
