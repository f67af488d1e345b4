"""The caller's files on the server: `RemoteFile` (the metadata `POST /api/v1/files`
answers) and `upload`, which streams one local file there."""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional

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


def part_filename(name: str) -> str:
    """A file name fit for a multipart header: control characters (CR, LF, NUL...)
    become `_` (the server makes the rest of the name safe itself)."""
    return "".join("_" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in name) or "file"


def readable_files(paths: Mapping[str, PurePath]) -> Dict[str, Path]:
    """The paths as `Path`s, once each is known to be a readable file (so that a
    request is never sent with part of its files)."""
    checked: Dict[str, Path] = {}
    for name, path in paths.items():
        local = Path(path)
        if not local.is_file():
            raise FileNotFoundError(f"{name}: {local} is not a file")
        checked[name] = local
    return checked


def upload(http: "Http", path: PurePath, filename: Optional[str] = None) -> RemoteFile:
    """Uploads a local file (streamed from disk) and returns it as stored."""
    local = readable_files({"file": path})["file"]
    name = part_filename(filename or local.name)

    def files() -> Mapping[str, Any]:
        return {"file": (name, local.open("rb"), content_type_of(local))}

    data = http.json("POST", "/api/v1/files", files=files)
    return RemoteFile.from_json(data)
