# Process-escape attacks. Usage: processes.py double_fork MARKER | orphan MARKER | sleep MARKER |
# session | interruptible SECONDS
# MARKER is a number used as `sleep MARKER` so the test can look for survivors on the host.
import errno
import os
import signal
import sys
import time

case, marker = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
if case == "double_fork":
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.execv("/bin/sleep", ["sleep", marker])
        os._exit(0)
    # The main process also ignores SIGTERM and never ends on its own.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("double_fork started", flush=True)
    while True:
        time.sleep(1)
elif case == "orphan":
    if os.fork() == 0:
        os.execv("/bin/sleep", ["sleep", marker])
    print("orphan left", flush=True)
elif case == "sleep":
    print("sleeping", flush=True)
    os.execv("/bin/sleep", ["sleep", marker])
elif case == "session":
    # Leads a session of its own, and has no terminal to push input into (TIOCSTI).
    print("session leader" if os.getsid(0) == os.getpid() else "in the caller's session")
    try:
        os.open("/dev/tty", os.O_RDWR)
        print("terminal opened")
    except OSError as error:
        print("no terminal:", errno.errorcode[error.errno])
elif case == "interruptible":
    # Python ends with KeyboardInterrupt (status 1) if a SIGINT reaches it.
    print("waiting", flush=True)
    time.sleep(float(marker))
    print("not interrupted", flush=True)
