"""Black-box harness for the integration suite: starts the real `mecapyd` binary on
127.0.0.1 with port 0, reads the chosen port from its JSON log, and guarantees that
every process it started is gone when the test (or module, or session) ends.

The binary is taken from $MECAPYD (set by tests/integration/run); without it the
default CMake build directory of the repository is used.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from support import REPO_ROOT, Server

sys.path.insert(0, str(REPO_ROOT / "tests" / "peers"))
from keycloak_peer import KeycloakPeer  # noqa: E402

# Every test gets a hard deadline so a regression that hangs the server cannot hang
# the suite; socket and subprocess calls carry their own, shorter, timeouts.
TEST_DEADLINE_SECONDS = 60


class TestDeadlineExceeded(Exception):
    pass


def pytest_configure(config):
    config.addinivalue_line("markers", "deadline(seconds): a longer hard deadline for one test")


@pytest.fixture(autouse=True)
def _deadline(request):
    marker = request.node.get_closest_marker("deadline")
    seconds = marker.args[0] if marker else TEST_DEADLINE_SECONDS

    def expired(signum, frame):
        raise TestDeadlineExceeded(f"test exceeded {seconds}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


class ServerFactory:
    """Starts servers in fresh temporary data directories; stop_all() stops leftovers."""

    def __init__(self, base_dir: Path):
        self.base_dir = base_dir
        self.servers = []
        self.count = 0

    def new_dir(self, name="data") -> Path:
        self.count += 1
        d = self.base_dir / f"{name}-{self.count}"
        d.mkdir(parents=True)
        return d

    def start(self, *args, data_dir=None, env=None, wait=True) -> Server:
        data_dir = data_dir or self.new_dir()
        server = Server(data_dir, list(args), env=env)
        self.servers.append(server)
        if wait:
            server.wait_listening()
        return server

    def stop_all(self):
        for s in self.servers:
            s.stop()


@pytest.fixture
def servers(tmp_path):
    factory = ServerFactory(tmp_path)
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def module_servers(tmp_path_factory):
    factory = ServerFactory(tmp_path_factory.mktemp("servers"))
    yield factory
    factory.stop_all()


@pytest.fixture(scope="module")
def server(module_servers):
    """One shared server per module for tests that only read."""
    return module_servers.start(
        "--cors-origins", "https://app.example.com,http://localhost:3000",
        "--features", "beta_ui,old_export=off,gradual=25%",
        "--max-body-size", "1KiB",
        "--max-header-size", "2KiB",
    )


class ScriptPeer:
    """A throwaway server driven by one of the tests/peers scripts
    (`start|stop|restart|destroy DIR`; `start` prints how to reach it last)."""

    NAME = ""

    def __init__(self):
        # When we are root the PostgreSQL server runs as another user: its directory
        # must be reachable, so peers live directly under the system temp dir, not
        # pytest's (0700).
        self.parent = Path(tempfile.mkdtemp(prefix=f"mecapy-it-{self.NAME}-"))
        self.dir = self.parent / "peer"
        self.address = self._run("start").strip().splitlines()[-1]

    def _run(self, command):
        script = REPO_ROOT / "tests" / "peers" / self.NAME
        done = subprocess.run([str(script), command, str(self.dir)], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, f"{self.NAME} {command} failed: {done.stderr}"
        return done.stdout

    def stop(self):
        self._run("stop")

    def restart(self):
        self._run("restart")

    def destroy(self):
        try:
            self._run("destroy")
        finally:
            shutil.rmtree(self.parent, ignore_errors=True)


class Postgres(ScriptPeer):
    """A throwaway PostgreSQL cluster; `url` connects to it."""

    NAME = "postgres"

    def __init__(self):
        super().__init__()
        self.url = self.address
        assert self.url.startswith("postgresql://"), self.url


@pytest.fixture(scope="session")
def postgres():
    pg = Postgres()
    yield pg
    pg.destroy()


class S3Peer(ScriptPeer):
    """A throwaway S3-compatible server (state in memory: a restart comes back empty)."""

    NAME = "s3"

    def __init__(self):
        super().__init__()
        self.endpoint = self.address
        assert self.endpoint.startswith("http://127.0.0.1:"), self.endpoint


@pytest.fixture(scope="session")
def s3_peer():
    peer = S3Peer()
    yield peer
    peer.destroy()


# One Keycloak for the whole run: it takes several seconds to start (a minute on a fresh
# machine, which fetches and builds it first), so it starts before the tests that need
# it. tests/integration/run starts it before pytest and names its directory in
# $KEYCLOAK_TEST_PEER_DIR (it also stops it); without that, this process starts one
# from a thread as soon as collection shows a test that needs it, and stops it at the end.
KEYCLOAK_DIR_VARIABLE = "KEYCLOAK_TEST_PEER_DIR"
_keycloak_peer = None


def pytest_collection_finish(session):
    global _keycloak_peer
    if os.environ.get(KEYCLOAK_DIR_VARIABLE):
        _keycloak_peer = KeycloakPeer.attach(os.environ[KEYCLOAK_DIR_VARIABLE])
    elif not session.config.option.collectonly and any(
            "keycloak" in getattr(item, "fixturenames", ()) for item in session.items):
        _keycloak_peer = KeycloakPeer(Path(tempfile.mkdtemp(prefix="mecapy-it-keycloak-")) / "peer")
        _keycloak_peer.start_in_background()


def pytest_sessionfinish(session):
    if _keycloak_peer is not None and _keycloak_peer.owned:
        try:
            _keycloak_peer.stop()
        finally:
            shutil.rmtree(_keycloak_peer.dir.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def keycloak():
    """The run's Keycloak (realm `mecapy` imported), ready; shared by every test."""
    assert _keycloak_peer is not None, "keycloak: collection did not start it"
    _keycloak_peer.wait_ready()
    return _keycloak_peer
