"""A job's server-sent events (`GET /api/v1/jobs/{id}/events`), read as they come.

The stream sends `status` (`{"status": ...}`, and the whole job with the final one),
`log` (`{index, kind, chunk}`) and `progress` (`{pct, msg, index}`) events; each
event's `id` is the index of the next log entry, and the stream ends after the final
status. `read_events` parses one stream (the text/event-stream format: `event:`,
`id:`, `data:` lines, a blank line ends an event, `:` starts a comment).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional


@dataclass(frozen=True)
class JobEvent:
    """One event: `kind` is `status`, `log` or `progress`; `data` its JSON payload;
    `id` the stream position after it (what `Last-Event-ID` resumes from)."""

    kind: str
    data: Dict[str, Any]
    id: Optional[str] = None


def read_events(lines: Iterable[bytes]) -> Iterator[JobEvent]:
    """The events of a text/event-stream, from its lines (without line ends)."""
    kind = "message"
    event_id: Optional[str] = None
    data: List[str] = []
    for raw in lines:
        line = raw.decode("utf-8", errors="replace")
        if not line:
            if data:
                payload = json.loads("\n".join(data))
                yield JobEvent(kind, payload if isinstance(payload, dict) else {"value": payload}, event_id)
            kind, data = "message", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "event":
            kind = value
        elif name == "data":
            data.append(value)
        elif name == "id":
            event_id = value
