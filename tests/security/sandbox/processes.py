# Process-escape attacks. Usage: processes.py double_fork MARKER | orphan MARKER | sleep MARKER
# MARKER is a number used as `sleep MARKER` so the test can look for survivors on the host.
import os
import signal
import sys
import time

case, marker = sys.argv[1], sys.argv[2]
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
