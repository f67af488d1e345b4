"""The attack suite of identity runs on the integration harness: the same Server
handle, fixtures and per-test deadline (tests/integration/conftest.py, loaded here under
its own module name so that both directories can run in one pytest session), and the
test OpenID Connect issuer of tests/peers, whose keys the attacks need
(identity_support.issuer)."""
import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parents[2]
if str(_TESTS / "integration") not in sys.path:
    sys.path.insert(0, str(_TESTS / "integration"))

from harness_loader import integration_harness  # noqa: E402

_harness = integration_harness()
pytest_configure = _harness.pytest_configure
_deadline = _harness._deadline
servers = _harness.servers
module_servers = _harness.module_servers

from identity_support import issuer, oidc_args, publish_calc  # noqa: E402,F401 (issuer: a fixture)
from packages_support import sandbox_args  # noqa: E402


@pytest.fixture(scope="module")
def oidc_server(module_servers, issuer):
    """One server per module trusting `issuer`, with a public function to run
    (identity_support.publish_calc); its headers may be 128 KiB, so that a 32 KiB
    token reaches the token checks."""
    server = module_servers.start(*oidc_args(issuer), *sandbox_args(), "--max-header-size", "128KiB",
                                  "--max-sync-wait", "20s")
    publish_calc(server)
    return server
