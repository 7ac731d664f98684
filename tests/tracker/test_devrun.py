"""`make run`'s runner (scripts/devrun.py): Ctrl-C in the terminal stops every Procfile process
with the signal it stops cleanly on, and the run ends with exit status 0, not an error; the
program that started it (make) does not see the Ctrl-C, so it reports no "Interrupt" either."""

import os
import pty
import select
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A stand-in for web, worker and beat: notes which signal it got, then exits as Celery's worker
# does (0 on SIGTERM, 1 on SIGINT) or as runserver and beat do (0 on SIGINT).
STUB = """
import os, signal, sys, time
name, folder = sys.argv[1], sys.argv[2]
def stop(signum, frame):
    open(os.path.join(folder, name + "." + signal.Signals(signum).name), "w").close()
    sys.exit(1 if name == "worker" and signum == signal.SIGINT else 0)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
open(os.path.join(folder, name + ".ready"), "w").close()
while True:
    time.sleep(0.05)
"""

# What make is to the runner: its parent in the terminal's foreground, noting a SIGINT if one
# reaches it, and exiting with the runner's status.
PARENT = """
import signal, subprocess, sys
folder, runner, procfile = sys.argv[1:4]
signal.signal(signal.SIGINT, lambda *_: open(folder + "/parent.SIGINT", "w").close())
sys.exit(subprocess.call([sys.executable, runner, procfile]))
"""


def _read(fd: int, seconds: float) -> tuple[bytes, bool]:
    """Output for up to `seconds`; False once the terminal has closed."""
    out = b""
    end = time.monotonic() + seconds
    # poll(), not select(): in a long test run the descriptor number can pass select's 1024.
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while time.monotonic() < end:
        if poller.poll(50):
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return out, False
            if not chunk:
                return out, False
            out += chunk
    return out, True


def test_ctrl_c_stops_web_worker_and_beat_cleanly_and_exits_0(tmp_path):
    (tmp_path / "stub.py").write_text(STUB)
    (tmp_path / "parent.py").write_text(PARENT)
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        "".join(
            f"{name}: exec {sys.executable} {tmp_path / 'stub.py'} {name} {tmp_path}\n"
            for name in ("web", "worker", "beat")
        )
    )
    args = [str(tmp_path / "parent.py"), str(tmp_path), str(ROOT / "scripts/devrun.py")]
    pid, fd = pty.fork()
    if pid == 0:  # the child: a new session whose controlling terminal is the pty
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, *args, str(procfile)])  # noqa: S606
    output = b""
    try:
        deadline = time.monotonic() + 30
        while len(list(tmp_path.glob("*.ready"))) < 3 and time.monotonic() < deadline:
            output += _read(fd, 0.2)[0]
        assert len(list(tmp_path.glob("*.ready"))) == 3, output.decode(errors="replace")

        os.write(fd, b"\x03")  # Ctrl-C at the keyboard
        open_ = True
        deadline = time.monotonic() + 30
        while open_ and time.monotonic() < deadline:
            chunk, open_ = _read(fd, 0.5)
            output += chunk
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    text = output.decode(errors="replace")

    assert os.waitstatus_to_exitcode(status) == 0, text
    stopped = sorted(p.name for p in tmp_path.iterdir() if p.name.count(".") == 1)
    assert "web.SIGINT" in stopped and "beat.SIGINT" in stopped, stopped
    assert "worker.SIGTERM" in stopped and "worker.SIGINT" not in stopped, stopped
    assert not (tmp_path / "parent.SIGINT").exists(), "make would report an Interrupt"
    for name in ("web", "worker", "beat"):
        assert f"{name}.1 stopped (rc=0)" in text, text
