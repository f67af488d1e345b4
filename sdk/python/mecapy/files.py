"""The caller's files on the server: `RemoteFile` (the metadata `POST /api/v1/files`
answers) and `upload`, which streams one local file there."""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Mapping, Optional

if TYPE_CHECKING:
    from .transport import Http


@dataclass(frozen=True)
class RemoteFile:
    """A file of yours on the server. Give it for a File input to reuse it."""

    id: str
    filename: str
    size: int
    sha256: str
    content_type: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RemoteFile":
        return cls(str(data["id"]), str(data.get("filename", "")), int(data.get("size", 0)),
                   str(data.get("sha256", "")), str(data.get("content_type", "")))


def content_type_of(path: PurePath) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def upload(http: "Http", path: PurePath, filename: Optional[str] = None) -> RemoteFile:
    """Uploads a local file (streamed from disk) and returns it as stored."""
    local = Path(path)
    name = filename or local.name

    def files() -> Mapping[str, Any]:
        return {"file": (name, local.open("rb"), content_type_of(local))}

    data = http.json("POST", "/api/v1/files", files=files)
    return RemoteFile.from_json(data)
