"""The exceptions of the SDK, and how an API answer becomes one.

Every exception the SDK raises on purpose is a `MecaPyError`:

- `ApiError` — the server refused a request; it carries the RFC 9457 problem
  (`status`, `problem_type`, `title`, `detail`, `request_id`). Its subclasses say why:
  `AuthenticationError` (401, and 403: the credentials lack a scope or a permission),
  `NotFoundError` (404), `ValidationError` (422, with one `InputProblem` per problem)
  and `ServerError` (5xx, or no answer at all: `status` is None then).
- `ExecutionError` — the function ran and did not complete (it raised, it timed out,
  it was cancelled, its worker was lost); it carries the remote error and traceback.
- `JobTimeoutError` — waiting for a job took longer than the caller allowed (also a
  `TimeoutError`); the job itself goes on.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

import requests

if TYPE_CHECKING:
    from .jobs import Job


class MecaPyError(Exception):
    """The base of every error the SDK raises."""


class ApiError(MecaPyError):
    """The server answered with a problem (RFC 9457)."""

    def __init__(self, status: Optional[int], problem: Mapping[str, Any], message: Optional[str] = None) -> None:
        self.status = status
        self.problem: Dict[str, Any] = dict(problem)
        self.problem_type: str = str(problem.get("type", ""))
        self.title: str = str(problem.get("title", ""))
        self.detail: str = str(problem.get("detail", ""))
        self.request_id: str = str(problem.get("request_id", ""))
        text = message or self.detail or self.title or "request failed"
        prefix = f"{status} " if status is not None else ""
        suffix = f" (request {self.request_id})" if self.request_id else ""
        super().__init__(f"{prefix}{self._short_type()}: {text}{suffix}" if self.problem_type else
                         f"{prefix}{text}{suffix}")

    def _short_type(self) -> str:
        return self.problem_type.rsplit("#", 1)[-1]


class AuthenticationError(ApiError):
    """401: no credentials, bad ones or expired ones; 403: they lack the scope or the
    permission for this request."""


class NotFoundError(ApiError):
    """404: no such resource that these credentials may see."""


@dataclass(frozen=True)
class InputProblem:
    """One problem of a 422: where (`pointer`, a JSON pointer into the inputs, and the
    input it names) and what (`message`)."""

    pointer: str
    message: str
    input: str


def _input_of(pointer: str) -> str:
    first = pointer.lstrip("/").split("/", 1)[0]
    return first.replace("~1", "/").replace("~0", "~")


class ValidationError(ApiError):
    """422: the inputs (or the request) are not valid; `errors` lists every problem."""

    def __init__(self, status: Optional[int], problem: Mapping[str, Any]) -> None:
        super().__init__(status, problem)
        raw = problem.get("errors")
        self.errors: List[InputProblem] = []
        for entry in raw if isinstance(raw, list) else []:
            if isinstance(entry, dict):
                pointer = str(entry.get("pointer", ""))
                self.errors.append(InputProblem(pointer, str(entry.get("message", "")), _input_of(pointer)))

    def by_input(self) -> Dict[str, List[str]]:
        """The messages grouped by the input they are about."""
        grouped: Dict[str, List[str]] = {}
        for problem in self.errors:
            grouped.setdefault(problem.input, []).append(problem.message)
        return grouped

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"  {p.pointer or '/'}: {p.message}" for p in self.errors]
        return "\n".join(lines)


class ServerError(ApiError):
    """5xx, or the server could not be reached (`status` is None)."""


class ExecutionError(MecaPyError):
    """The job ended without completing. `status` is the job's (`failed`, `timeout`,
    `cancelled`); `error_type`, `error_message` and `traceback` are the remote
    function's exception when it raised."""

    def __init__(self, job: "Job", data: Mapping[str, Any]) -> None:
        self.job = job
        self.status: str = str(data.get("status", ""))
        self.exit_reason: str = str(data.get("exit_reason") or "")
        raw = data.get("error")
        error: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
        self.error_type: str = str(error.get("type") or "")
        self.error_message: str = str(error.get("message") or "")
        self.traceback: str = str(error.get("traceback") or "")
        if self.error_type:
            summary = f"{self.error_type}: {self.error_message}"
        else:
            summary = f"the job ended {self.status}" + (f" ({self.exit_reason})" if self.exit_reason else "")
        text = f"job {job.id} {self.status}: {summary}"
        if self.traceback:
            text += "\n\nRemote traceback:\n" + self.traceback.rstrip("\n")
        super().__init__(text)


class JobTimeoutError(MecaPyError, TimeoutError):
    """The job was not final within the time the caller allowed; it goes on running."""

    def __init__(self, job: "Job", timeout: float) -> None:
        self.job = job
        super().__init__(f"job {job.id} is still {job.last_status} after {timeout:g} s")


_BY_STATUS = {401: AuthenticationError, 403: AuthenticationError, 404: NotFoundError}


def problem_of(response: requests.Response) -> Dict[str, Any]:
    """The problem document of an error answer (a made-up one when it has none)."""
    try:
        document = json.loads(response.content)
    except ValueError:
        document = None
    if isinstance(document, dict):
        return document
    text = response.text.strip()[:200]
    return {"title": response.reason or "error", "detail": text or f"HTTP {response.status_code}"}


def error_for(response: requests.Response) -> ApiError:
    """The exception that stands for an error answer (status 400 or more)."""
    status = response.status_code
    problem = problem_of(response)
    if status == 422:
        return ValidationError(status, problem)
    if status >= 500:
        return ServerError(status, problem)
    return _BY_STATUS.get(status, ApiError)(status, problem)


def unreachable(url: str, cause: Exception) -> ServerError:
    """The exception for a request that got no answer (refused, reset, timed out)."""
    return ServerError(None, {"title": "no answer", "detail": f"{url}: {cause}"})
