"""The CLI tests run the real `mecapy` binary against a real `mecapyd` started by the
integration harness (tests/integration/conftest.py, loaded here under its own module
name so that both directories can run in one pytest session), with the example
packages deployed.

The binary is $MECAPY, or `mecapy` next to $MECAPYD (both in BUILD/src/main), or the
default build directory's. Every run gets a fresh HOME, so no test sees a real user's
configuration, and an environment without any MECAPY_* variable unless it sets one.
"""
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parents[1]
if str(_TESTS / "integration") not in sys.path:
    sys.path.insert(0, str(_TESTS / "integration"))

from harness_loader import integration_harness  # noqa: E402

_harness = integration_harness()
pytest_configure = _harness.pytest_configure
_deadline = _harness._deadline
servers = _harness.servers
module_servers = _harness.module_servers

from packages_support import deploy_examples, sandbox_args  # noqa: E402
from support import MECAPYD  # noqa: E402

MECAPY = os.environ.get("MECAPY") or str(Path(MECAPYD).with_name("mecapy"))
CLI_TIMEOUT = 60


class Cli:
    """Runs `mecapy` with HOME in a directory of its own (home/.config/mecapy/config.toml
    is where the configuration goes)."""

    def __init__(self, home: Path, api_url: str):
        self.home = home
        self.api_url = api_url
        self.config_path = home / ".config" / "mecapy" / "config.toml"

    def env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MECAPY_") and k != "XDG_CONFIG_HOME"}
        env["HOME"] = str(self.home)
        env.update(extra or {})
        return env

    def command(self, api_url=True):
        """The start of a command line: the binary and, unless api_url=False, --api-url."""
        return [MECAPY, "--api-url", self.api_url] if api_url else [MECAPY]

    def run(self, *args, env=None, input=None, timeout=CLI_TIMEOUT, api_url=True):
        command = self.command(api_url) + [str(a) for a in args]
        return subprocess.run(command, capture_output=True, text=True, input=input, env=self.env(env),
                              timeout=timeout, cwd=self.home)

    def run_on_terminal(self, *args):
        """Runs mecapy with stderr on a pseudo-terminal (stdout stays a pipe); returns
        the exit code, stdout, and everything written to the terminal."""
        primary, secondary = pty.openpty()
        try:
            process = subprocess.Popen([*self.command(), *map(str, args)], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=secondary, env=self.env(), cwd=self.home)
        finally:
            os.close(secondary)
        terminal = b""
        try:
            while True:
                try:
                    chunk = os.read(primary, 65536)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not chunk:
                    break
                terminal += chunk
        finally:
            os.close(primary)
        stdout = process.stdout.read().decode()
        process.stdout.close()
        return process.wait(timeout=CLI_TIMEOUT), stdout, terminal.decode(errors="replace")


@pytest.fixture(scope="module")
def server(module_servers):
    """One server for the module, with its own sandbox pool and the examples deployed
    by the administrator."""
    server = module_servers.start(*sandbox_args(), "--max-sync-wait", "20s")
    deploy_examples(server, "fixtures", "bolted-joint")
    return server


@pytest.fixture
def cli(server, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, server.base_url)


@pytest.fixture
def offline_cli(tmp_path):
    """A Cli for commands that need no server (its API URL answers nothing)."""
    home = tmp_path / "home"
    home.mkdir()
    return Cli(home, "http://127.0.0.1:9")


@pytest.fixture
def signed_in(cli, server):
    """A Cli whose configuration file holds the administrator's API token."""
    done = cli.run("login", "--token", input=server.token + "\n")
    assert done.returncode == 0, done.stderr
    return cli
