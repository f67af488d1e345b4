"""The runner's side of its contract with the server: where a job's files are, how
input JSON is read and how result JSON is written.

A ContractError means the server (or an operator) called the runner wrongly: a
missing or malformed input file, a bad option. The command exits with status 2 and
the message on stderr; nothing the user's code does is ever a ContractError.

Result files are written atomically (a temporary file in the same directory, then a
rename), so the server sees either no file or the whole file. They are UTF-8 JSON
written with allow_nan=False: values.py has already replaced NaN and infinities.
"""
import json
import os
import pathlib


class ContractError(Exception):
    """The runner was called in a way its contract does not allow."""


class Workspace:
    """The job's directory tree: in/ (read-only inputs), out/ (results), src (code)."""

    def __init__(self, root, src=None):
        self.root = pathlib.Path(root)
        self.src = pathlib.Path(src) if src else self.root / "src"
        self.in_dir = self.root / "in"
        self.out_dir = self.root / "out"
        self.input_files_dir = self.in_dir / "files"
        self.output_files_dir = self.out_dir / "files"


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def read_json(path, what):
    """The JSON value in `path`; a ContractError says which file is missing or broken."""
    try:
        text = pathlib.Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractError(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContractError(f"{what} cannot be read ({path}): {error}") from None
    try:
        # Python's float() is correctly rounded, so every double arrives bit-identical.
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError as error:
        raise ContractError(f"{what} is not valid JSON ({path}): {error}") from None


def encode_json(value):
    """The UTF-8 bytes of `value` as JSON; floats keep their shortest round-trip text."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def write_json_atomic(path, value):
    """Writes `value` as JSON to `path` so that readers never see a partial file."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = encode_json(value)
    # A name of our own rather than tempfile.mkstemp (whose import costs every job a
    # few ms): O_EXCL refuses a name that exists, random bytes make that unlikely.
    temporary = path.parent / f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
