# Network attacks: every way out must fail. Usage: network.py tcp_loopback|udp_loopback|tcp_public|udp_public|dns
# Prints "<case> errno=<NAME>" (or "gaierror=<code>" for DNS) so the test can assert the exact reason.
import errno
import socket
import sys

case = sys.argv[1]
try:
    if case == "dns":
        try:
            socket.getaddrinfo("example.com", 80)
            print("dns resolved")
        except socket.gaierror as error:
            print(f"dns gaierror={error.errno}")
        sys.exit(0)
    kind = socket.SOCK_STREAM if case.startswith("tcp") else socket.SOCK_DGRAM
    host = "127.0.0.1" if case.endswith("loopback") else "1.1.1.1"
    sock = socket.socket(socket.AF_INET, kind)
    if kind == socket.SOCK_STREAM:
        sock.connect((host, 80))
    else:
        sock.sendto(b"x", (host, 53))
    print(f"{case} connected")
except OSError as error:
    print(f"{case} errno={errno.errorcode.get(error.errno, error.errno)}")
