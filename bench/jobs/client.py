"""What bench/jobs/run shares: a keep-alive HTTP/1.1 JSON client (one connection per
instance, so one per thread), percentiles, timed bare runs of an interpreter, and the
memory figures of a process from /proc. Standard library only: it runs on any Python 3.
"""
import http.client
import json
import statistics
import subprocess
import time


class Client:
    """One persistent connection to 127.0.0.1:port; reconnects when the server closed it.
    Not thread-safe: give each thread its own."""

    def __init__(self, port, timeout=120):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, body=None):
        """(status, headers as a dict with lower-case names, parsed JSON body or None)."""
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            answer = {k.lower(): v for k, v in response.getheaders()}
            return response.status, answer, json.loads(data) if data else None
        raise AssertionError("unreachable")

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def execute_path(function, package="anonymous%2Ffixtures"):
    return f"/api/v1/packages/{package}/functions/{function}/execute"


def percentile(samples, q):
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[q - 1] if 1 <= q <= 99 else ordered[-1]


def timed(call, count):
    """Milliseconds of each of `count` calls of `call()`."""
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bare_run(command):
    """Runs `command` (an interpreter start, say) to completion, output discarded."""
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def bare_peak_kib(command):
    """The peak resident size (KiB) of one run of `command`, measured by GNU time: the
    rusage of a child of this process would also count this process's own pages, which
    the child has until it calls exec."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], check=True, capture_output=True, text=True)
    return int(done.stderr.strip().splitlines()[-1])


def proc_kib(pid, field):
    """A memory field of /proc/PID/status (VmRSS, VmHWM) in KiB, or None once it exited."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return None
    return None
