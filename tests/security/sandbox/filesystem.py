# Filesystem attacks. Usage: filesystem.py read PATH | list PATH | write PATH | environ
# Prints "<op> <path> errno=<NAME>" or "<op> <path> ok".
import errno
import os
import sys

op = sys.argv[1]
path = sys.argv[2] if len(sys.argv) > 2 else ""
try:
    if op == "read":
        with open(path, "rb") as f:
            f.read()
    elif op == "list":
        os.listdir(path)
    elif op == "write":
        with open(path, "w") as f:
            f.write("owned")
    elif op == "environ":
        # /proc/1 is the sandbox's own first process: only the allowlisted environment.
        with open("/proc/1/environ", "rb") as f:
            print("environ " + f.read().replace(b"\0", b" ").decode())
        sys.exit(0)
    print(f"{op} {path} ok")
except OSError as error:
    print(f"{op} {path} errno={errno.errorcode.get(error.errno, error.errno)}")
