"""The SDK's tests run the `mecapy` package (sdk/python, imported from the checkout)
against real `mecapyd` processes, started by the integration suite's harness
(tests/integration: `Server`, the per-test deadline, the run's Keycloak), with the
example packages deployed. Run them with Debian's /usr/bin/python3, which is what the
SDK promises to work with:

    MECAPYD=build/src/main/mecapyd /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/sdk
"""
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "sdk" / "python"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))


def _integration_conftest():
    path = ROOT / "tests" / "integration" / "conftest.py"
    spec = importlib.util.spec_from_file_location("integration_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_harness = _integration_conftest()
# The harness's fixtures and hooks, as if they were written here.
_deadline = _harness._deadline
keycloak = _harness.keycloak
pytest_configure = _harness.pytest_configure
pytest_collection_finish = _harness.pytest_collection_finish
pytest_sessionfinish = _harness.pytest_sessionfinish

from packages_support import deploy_examples, sandbox_args  # noqa: E402
from support import ADMIN_PASSWORD, create_token  # noqa: E402

import mecapy  # noqa: E402

# The SDK under test is the checkout's, never an installed copy.
assert Path(mecapy.__file__).resolve().parent == ROOT / "sdk" / "python" / "mecapy", mecapy.__file__


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    """Starts servers for the whole run; each is stopped at the end at the latest."""
    factory = _harness.ServerFactory(tmp_path_factory.mktemp("servers"))
    yield factory
    factory.stop_all()


@pytest.fixture(scope="session")
def server(server_factory):
    """One server for the whole run, with sandboxes and the fixtures and bolted-joint
    examples deployed (deploying runs their test cases: it is done once)."""
    server = server_factory.start(*sandbox_args(), "--worker-slots", "2")
    deploy_examples(server, "fixtures", "bolted-joint")
    return server


@pytest.fixture(scope="session")
def client(server):
    """The administrator's client, with an API token."""
    with mecapy.MecaPyClient(server.base_url, mecapy.Token(create_token(server.base_url))) as client:
        yield client


@pytest.fixture(scope="session")
def fixtures(client):
    return client.load("admin/fixtures")


@pytest.fixture
def admin_password():
    return ADMIN_PASSWORD
