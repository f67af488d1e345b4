"""A function of a package, callable like a Python function.

`fn(**inputs)` submits a job and blocks until it is final, returning its `Outputs` (or
raising `ExecutionError`); `fn.submit(**inputs)` returns the `Job` at once. Inputs are
keyword arguments named after the function's inputs (see `inputs.py` for the values
accepted). A `pathlib.Path` is uploaded in the same request (a multipart execute); a
file input named `request`, the one name the multipart form reserves, is uploaded first
with `POST /api/v1/files`. Request options (`no_cache`, `timeout_s`, `version`) never
clash with input names: `fn.with_options(no_cache=True)` returns a function that sends
them.

`help(fn)` and `inspect.signature(fn)` show the function's inputs with their types and
units (the object is a non-data descriptor, which makes pydoc document it as a routine).
"""
from __future__ import annotations

import inspect
import json
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional
from urllib.parse import quote

from . import describe
from .files import content_type_of, part_filename, readable_files, upload
from .inputs import encode_inputs
from .jobs import Job, Outputs

if TYPE_CHECKING:
    from .transport import Http

# The multipart part that carries the JSON body of a multipart execute.
REQUEST_PART = "request"


class RemoteFunction:
    """One function version of a package on the server."""

    def __init__(self, http: "Http", package: str, version: Optional[str], spec: Mapping[str, Any],
                 options: Optional[Mapping[str, Any]] = None) -> None:
        self._http = http
        self.package = package
        self.version = version
        self.spec: Dict[str, Any] = dict(spec)
        self.name: str = str(spec["name"])
        self.options: Dict[str, Any] = dict(options or {})
        self.__name__ = self.__qualname__ = self.name
        self.__doc__ = describe.docstring(spec, package, version or "")
        self.__signature__ = describe.signature(spec)
        self.file_inputs = frozenset(str(p.get("name")) for p in spec.get("inputs") or []
                                     if (p.get("type") or {}).get("kind") == "file")

    def __get__(self, instance: Any, owner: Any = None) -> "RemoteFunction":
        return self

    def __call__(self, **inputs: Any) -> Outputs:
        """Runs the function and returns its outputs once the job completed."""
        return self.submit(**inputs).result()

    def submit(self, **inputs: Any) -> Job:
        """Queues a job and returns it without waiting."""
        encoded = encode_inputs(inputs, self.file_inputs)
        if REQUEST_PART in encoded.uploads:
            encoded.files[REQUEST_PART] = upload(self._http, encoded.uploads.pop(REQUEST_PART)).id
        body: Dict[str, Any] = {"inputs": encoded.inputs, "async": True}
        if encoded.files:
            body["files"] = encoded.files
        if self.version and "version" not in self.options:
            body["version"] = self.version
        body.update(self.options)
        path = f"/api/v1/packages/{quote(self.package, safe='')}/functions/{quote(self.name, safe='')}/execute"
        if not encoded.uploads:
            return Job(self._http, self._http.json("POST", path, json_body=body))
        request = json.dumps(body, allow_nan=False).encode("utf-8")
        uploads = readable_files(encoded.uploads)

        def parts() -> Mapping[str, Any]:
            form: Dict[str, Any] = {REQUEST_PART: (None, request, "application/json")}
            for name, local in uploads.items():
                form[name] = (part_filename(local.name), local.open("rb"), content_type_of(local))
            return form

        return Job(self._http, self._http.json("POST", path, files=parts))

    def with_options(self, *, no_cache: Optional[bool] = None, timeout_s: Optional[int] = None,
                     version: Optional[str] = None) -> "RemoteFunction":
        """The same function with request options: `no_cache` (never reuse an earlier
        result), `timeout_s` (shorten the function's time limit), `version` (another
        version of the package)."""
        options = dict(self.options)
        for key, value in (("no_cache", no_cache), ("timeout_s", timeout_s), ("version", version)):
            if value is not None:
                options[key] = value
        return RemoteFunction(self._http, self.package, self.version, self.spec, options)

    @property
    def inputs(self) -> List[Dict[str, Any]]:
        """The input ports as the server describes them (name, type, unit, bounds...)."""
        return list(self.spec.get("inputs") or [])

    @property
    def outputs(self) -> List[Dict[str, Any]]:
        return list(self.spec.get("outputs") or [])

    def __repr__(self) -> str:
        return f"<RemoteFunction {self.package}:{self.name}{inspect.signature(self)}>"
