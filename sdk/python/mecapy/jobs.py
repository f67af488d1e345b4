"""A job on the server, as the caller follows it: `Job` reads its status, waits for
it, reads its logs, follows its events, cancels it and downloads its output files;
`Outputs` is what a completed job returned (a dict, with the units of its values).

Waiting polls `GET /api/v1/jobs/{id}`, first every 50 ms, then less often, up to once a
second; `events()` reads the job's server-sent events as they come instead. A job is final when its status is `completed`, `failed`, `timeout` or
`cancelled`; `result()` returns the outputs of a completed job and raises
`ExecutionError` for the others.
"""
from __future__ import annotations

import time
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Union
from urllib.parse import quote

import requests

from .errors import ExecutionError, JobTimeoutError, ServerError
from .events import JobEvent, read_events

if TYPE_CHECKING:
    from .transport import Http

FINAL_STATUSES = frozenset({"completed", "failed", "timeout", "cancelled"})
FIRST_POLL = 0.05
LONGEST_POLL = 1.0
DOWNLOAD_CHUNK = 1 << 20
# How often an event stream that broke before sending anything is opened again.
EVENT_RECONNECTS = 5


class Outputs(Dict[str, Any]):
    """The outputs of a completed job, by name, in the function's declared units;
    `units` gives the unit of each quantity output, `job` the job."""

    def __init__(self, values: Mapping[str, Any], units: Mapping[str, str], job: "Job") -> None:
        super().__init__(values)
        self.units: Dict[str, str] = dict(units)
        self.job = job


class Job:
    """One job of the caller's. `data` is the job as last read from the server."""

    def __init__(self, http: "Http", data: Mapping[str, Any]) -> None:
        self._http = http
        self.id: str = str(data["job_id"])
        self.data: Dict[str, Any] = dict(data)

    @property
    def last_status(self) -> str:
        """The status as last read (no request)."""
        return str(self.data.get("status", ""))

    @property
    def status(self) -> str:
        """The current status (asks the server unless the job is known to be final)."""
        if self.last_status not in FINAL_STATUSES:
            self.refresh()
        return self.last_status

    @property
    def done(self) -> bool:
        return self.status in FINAL_STATUSES

    def refresh(self) -> "Job":
        """Reads the job again."""
        self.data = self._http.json("GET", f"/api/v1/jobs/{quote(self.id, safe='')}")
        return self

    def wait(self, timeout: Optional[float] = None) -> "Job":
        """Returns once the job is final; `JobTimeoutError` after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = FIRST_POLL
        while self.status not in FINAL_STATUSES:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise JobTimeoutError(self, timeout or 0.0)
                pause = min(pause, left)
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_POLL)
        return self

    def result(self, timeout: Optional[float] = None) -> Outputs:
        """The outputs, once the job completed; `ExecutionError` when it failed, timed
        out or was cancelled (with the remote traceback), `JobTimeoutError` when it is
        not final after `timeout` seconds."""
        self.wait(timeout)
        if self.last_status != "completed":
            raise ExecutionError(self, self.data)
        return Outputs(self.data.get("outputs") or {}, self.data.get("units") or {}, self)

    @property
    def error(self) -> Optional[Dict[str, Any]]:
        """The remote exception (`type`, `message`, `traceback`) of a failed job."""
        error = self.data.get("error")
        return dict(error) if isinstance(error, dict) else None

    def log_entries(self) -> List[Dict[str, Any]]:
        """Every log entry so far: `{index, kind, chunk}`, kind `stdout` or `stderr`."""
        entries: List[Dict[str, Any]] = []
        since = 0
        while True:
            page = self._http.json("GET", f"/api/v1/jobs/{quote(self.id, safe='')}/logs", params={"since": since})
            entries += page.get("entries") or []
            next_index = int(page.get("next_index", since))
            if not page.get("entries") or next_index <= since:
                return entries
            since = next_index

    def logs(self, kind: Optional[str] = None) -> str:
        """What the job wrote so far, as text: stdout and stderr in the order the
        worker read them, or only `kind` ("stdout", "stderr")."""
        return "".join(str(e.get("chunk", "")) for e in self.log_entries() if kind is None or e.get("kind") == kind)

    def events(self) -> Iterator[JobEvent]:
        """The job's events as they happen — status changes, log chunks, progress —
        from the start of its log, until the final status (whose `data` is the whole
        job, also kept in `self.data`). A dropped connection (or one silent for longer
        than the client's timeout) is opened again where it stopped (`Last-Event-ID`):
        nothing comes twice but the current status."""
        last_id: Optional[str] = None
        failures = 0
        path = f"/api/v1/jobs/{quote(self.id, safe='')}/events"
        while True:
            headers = {"Accept": "text/event-stream"}
            if last_id is not None:
                headers["Last-Event-ID"] = last_id
            try:
                with self._http.request("GET", path, stream=True, headers=headers) as response:
                    for event in read_events(response.iter_lines()):
                        failures = 0
                        last_id = event.id if event.id is not None else last_id
                        if event.kind == "status" and event.data.get("status") in FINAL_STATUSES:
                            self.data.update(event.data)
                            yield event
                            return
                        if event.kind == "status":
                            self.data["status"] = event.data.get("status", self.last_status)
                        yield event
                cause = "the stream ended before the final status"
            except (ServerError, requests.RequestException) as error:
                cause = str(error)
            failures += 1
            if failures > EVENT_RECONNECTS:
                raise ServerError(None, {"title": "event stream lost", "detail": f"job {self.id}: {cause}"})

    def cancel(self) -> "Job":
        """Asks the server to cancel the job (a pending job never starts, a running one
        is stopped); returns the job as the server answered."""
        self.data = self._http.json("POST", f"/api/v1/jobs/{quote(self.id, safe='')}/cancel")
        return self

    @property
    def output_files(self) -> List[Dict[str, Any]]:
        return list(self.data.get("output_files") or [])

    def download_outputs(self, directory: Union[str, PurePath]) -> List[Path]:
        """Writes every output file into `directory` (created when missing), each under
        its own name; returns their paths. Waits for the job first."""
        self.wait()
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        written: List[Path] = []
        for entry in self.output_files:
            name = str(entry.get("name", ""))
            if not name or PurePath(name).name != name or name in (".", ".."):
                raise ValueError(f"job {self.id}: refusing an output file named {name!r}")
            url = str(entry.get("url") or f"/api/v1/jobs/{quote(self.id, safe='')}/files/{quote(name, safe='')}")
            path = target / name
            partial = target / f".{name}.part"
            with self._http.request("GET", url, stream=True) as response, partial.open("wb") as out:
                for chunk in response.iter_content(DOWNLOAD_CHUNK):
                    out.write(chunk)
            partial.replace(path)
            written.append(path)
        return written

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.last_status}>"

