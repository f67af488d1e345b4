# Resource attacks. Usage: resources.py fork_bomb|memory_bomb|disk_fill|infinite_loop|busy_loop SECONDS|stdout_flood
import errno
import os
import sys
import time

case = sys.argv[1]
if case == "fork_bomb":
    children = 0
    try:
        while True:
            pid = os.fork()
            if pid == 0:
                time.sleep(60)
                os._exit(0)
            children += 1
    except OSError as error:
        print(f"fork_bomb children={children} errno={errno.errorcode.get(error.errno, error.errno)}", flush=True)
        os._exit(0)
elif case == "memory_bomb":
    hog = b"x" * (1 << 30)  # written, so every page is really allocated
    print("memory_bomb survived", len(hog))
elif case == "disk_fill":
    written = 0
    chunk = b"\0" * (1 << 20)
    try:
        with open("/workspace/fill", "wb") as f:
            while True:
                f.write(chunk)
                f.flush()
                written += len(chunk)
    except OSError as error:
        print(f"disk_fill written={written} errno={errno.errorcode.get(error.errno, error.errno)}")
elif case == "infinite_loop":
    while True:
        pass
elif case == "busy_loop":
    end = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < end:
        pass
    print("busy_loop done")
elif case == "stdout_flood":
    line = "y" * 1023 + "\n"
    while True:
        sys.stdout.write(line)
