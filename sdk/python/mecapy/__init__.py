"""MecaPy's Python SDK: run the functions of packages published on a MecaPy server as
Python calls.

    from mecapy import MecaPyClient
    client = MecaPyClient.from_env()             # MECAPY_API_URL, MECAPY_TOKEN
    fixtures = client.load("admin/fixtures")
    fixtures.bolt_area(d=(1, "cm"), p=1.5)       # {'area': 58.0...}

See docs/sdk.md in the MecaPy repository.
"""
__version__ = "0.1.0"

from .auth import Auth, Password, ServiceAccount, Token  # noqa: E402
from .client import MecaPyClient  # noqa: E402
from .errors import (  # noqa: E402
    ApiError,
    AuthenticationError,
    ExecutionError,
    InputProblem,
    JobTimeoutError,
    MecaPyError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from .files import RemoteFile  # noqa: E402
from .functions import RemoteFunction  # noqa: E402
from .jobs import Job, Outputs  # noqa: E402
from .package import Package  # noqa: E402

__all__ = [
    "ApiError", "Auth", "AuthenticationError", "ExecutionError", "InputProblem", "Job", "JobTimeoutError",
    "MecaPyClient", "MecaPyError", "NotFoundError", "Outputs", "Package", "Password", "RemoteFile",
    "RemoteFunction", "ServerError", "ServiceAccount", "Token", "ValidationError",
]
