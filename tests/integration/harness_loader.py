"""For test directories outside tests/integration that run on its harness: loads
tests/integration/conftest.py once, under its own module name (so that both directories
can run in one pytest session), for their conftest to take its fixtures from."""
import importlib.util
import sys
from pathlib import Path

_MODULE = "mecapy_integration_conftest"


def integration_harness():
    if _MODULE not in sys.modules:
        spec = importlib.util.spec_from_file_location(_MODULE, Path(__file__).with_name("conftest.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[_MODULE] = module
        spec.loader.exec_module(module)
    return sys.modules[_MODULE]
