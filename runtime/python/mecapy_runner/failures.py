"""How an exception raised by user code is reported: {"type", "message", "traceback"}.

`type` is the class name, qualified by its module unless it is a builtin
("ValueError", "numpy.linalg.LinAlgError"). `traceback` is Python's usual text,
chained exceptions included, but with the runner's own frames (this package, the
entry file, the import machinery) left out: the user sees only the frames of code
they can act on — their package and the libraries it calls.
"""
import importlib
import os

_RUNNER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_RUNNER_FILES = (
    os.path.join(_RUNNER_DIR, "mecapy_runner") + os.sep,
    os.path.join(_RUNNER_DIR, "mecapy_runner.py"),
    os.path.dirname(os.path.abspath(importlib.__file__)) + os.sep,  # import_module(), called by the runner
)


def type_name(cls):
    """The name users know an exception class by: qualified unless builtin."""
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_runner_frame(frame):
    filename = frame.filename or ""
    if filename.startswith("<frozen importlib"):
        return True
    return os.path.abspath(filename).startswith(_RUNNER_FILES)


def _drop_runner_frames(summary):
    import traceback  # only when a job fails: a job that succeeds does not pay for it

    seen = set()
    while summary is not None and id(summary) not in seen:
        seen.add(id(summary))
        kept = [frame for frame in summary.stack if not _is_runner_frame(frame)]
        summary.stack = traceback.StackSummary.from_list(kept)
        _drop_runner_frames(summary.__cause__)
        summary = summary.__context__


def user_traceback(error):
    """The traceback text of `error` without the runner's frames."""
    import traceback  # only when a job fails

    summary = traceback.TracebackException.from_exception(error, capture_locals=False)
    _drop_runner_frames(summary)
    return "".join(summary.format())


def _message(error):
    try:
        return str(error)
    except Exception:  # a user __str__ that raises must not hide the original error
        return object.__repr__(error)


def describe(error):
    """The error object the result files carry for an exception of user code."""
    return {"type": type_name(type(error)), "message": _message(error), "traceback": user_traceback(error)}


def runner_error(type_, message):
    """An error found by the runner itself about the user's code (no traceback to show)."""
    return {"type": type_, "message": message, "traceback": f"{type_}: {message}\n"}
