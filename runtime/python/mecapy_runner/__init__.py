"""The helpers a MecaPy function may import while it runs:

    from mecapy_runner import progress, output_dir, scratch_dir

progress(pct, msg="")  appends {"pct": pct, "msg": msg} to the job's progress file,
                       pct clamped to 0..100, one line per call, flushed at once so
                       the server can show it while the function is still running.
output_dir()           the directory whose files become the job's output files.
scratch_dir()          a writable directory for temporary files that are not outputs.

The runner tells these helpers where things are through the environment
(MECAPY_PROGRESS_FILE, MECAPY_OUTPUT_DIR, MECAPY_SCRATCH), so they also work in a
thread the function starts. Outside the runner (a function tried on a laptop),
progress() prints to stderr and the directories fall back to the sandbox's paths.
Importing this package has no side effects.
"""
import math
import operator
import os
import pathlib
import sys
import threading

__all__ = ["progress", "output_dir", "scratch_dir"]

PROGRESS_FILE_ENV = "MECAPY_PROGRESS_FILE"
OUTPUT_DIR_ENV = "MECAPY_OUTPUT_DIR"
SCRATCH_ENV = "MECAPY_SCRATCH"
DEFAULT_OUTPUT_DIR = "/workspace/out/files"
DEFAULT_SCRATCH = "/tmp"

_progress_lock = threading.Lock()
_progress_stream = None  # (path, open file) while the same progress file is in use


def _clamped_percent(pct):
    if isinstance(pct, bool):
        raise TypeError("progress(pct): pct is a number from 0 to 100, not a boolean")
    try:
        value = operator.index(pct)  # ints, numpy integers
    except TypeError:
        value = float(pct)  # floats, numpy floats; anything else raises here
        if math.isnan(value):
            raise ValueError("progress(pct): pct is NaN; give a number from 0 to 100") from None
    return min(max(value, 0), 100)


def _progress_line(pct, msg):
    import json

    return json.dumps({"pct": pct, "msg": msg}, ensure_ascii=False, allow_nan=False) + "\n"


def progress(pct, msg=""):
    """Reports that the calculation is `pct` percent done, with an optional message."""
    global _progress_stream
    # A message that is not valid Unicode (lone surrogates) is kept, with "?" in place.
    text = str(msg).encode("utf-8", "replace").decode("utf-8")
    line = _progress_line(_clamped_percent(pct), text)
    path = os.environ.get(PROGRESS_FILE_ENV)
    with _progress_lock:
        if not path:
            sys.stderr.write("progress: " + line)
            sys.stderr.flush()
            return
        if _progress_stream is None or _progress_stream[0] != path:
            if _progress_stream is not None:
                _progress_stream[1].close()
            _progress_stream = (path, open(path, "a", encoding="utf-8"))
        _progress_stream[1].write(line)
        _progress_stream[1].flush()


def output_dir():
    """The directory to write output files in (a pathlib.Path); it exists during a job."""
    return pathlib.Path(os.environ.get(OUTPUT_DIR_ENV) or DEFAULT_OUTPUT_DIR)


def scratch_dir():
    """A directory for temporary files that are not outputs (a pathlib.Path)."""
    return pathlib.Path(os.environ.get(SCRATCH_ENV) or DEFAULT_SCRATCH)
