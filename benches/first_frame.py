#!/usr/bin/env python3
"""The TUI's first frame on a real terminal: from exec to the last byte of the first frame.

Starts `rolo --db JOURNAL` on a fresh pseudo-terminal of COLS x ROWS, reads what it writes
and takes the time at which the first frame is complete: ratatui writes a frame's cells from
the top-left corner (`ESC [1;1H`) on and ends every frame by hiding or placing the cursor
(`ESC [?25l` / `ESC [?25h`), so the first such sequence after the first cell ends the first
frame. Then reads the child's peak RSS and quits it with `q`.

Usage: first_frame.py ROLO JOURNAL RUNS [COLS ROWS]
Prints one line per run: milliseconds to the first frame, peak RSS in KiB.
Standard library only.
"""

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time

FIRST_CELL = b"\x1b[1;1H"
FRAME_END = b"\x1b[?25"


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def one_run(rolo, journal, cols, rows):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ)
    env.update(TERM="xterm-256color", ROLO_CONFIG="/nonexistent/rolo-bench.toml")
    env.pop("NO_COLOR", None)

    def become_session_leader():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    started = time.perf_counter()
    child = subprocess.Popen(
        [rolo, "--db", journal],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        preexec_fn=become_session_leader,
        close_fds=True,
    )
    os.close(slave)
    framed = None
    output = b""
    deadline = started + 20
    while framed is None and time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        now = time.perf_counter()
        output += chunk
        first = output.find(FIRST_CELL)
        if first >= 0 and output.find(FRAME_END, first) >= 0:
            framed = now
    time.sleep(0.05)
    rss = peak_rss_kib(child.pid)
    os.write(master, b"q")
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    # Drain what the exit wrote, then let go of the terminal.
    while select.select([master], [], [], 0.05)[0]:
        try:
            if not os.read(master, 1 << 16):
                break
        except OSError:
            break
    os.close(master)
    if framed is None or len(output) < cols * 2:
        raise SystemExit(f"no frame from {rolo} on {journal}")
    return (framed - started) * 1000, rss


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    rolo, journal, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cols, rows = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) >= 6 else (120, 40)
    one_run(rolo, journal, cols, rows)  # warm-up
    for _ in range(runs):
        ms, rss = one_run(rolo, journal, cols, rows)
        print(f"{ms:.3f} {rss}")


if __name__ == "__main__":
    main()
