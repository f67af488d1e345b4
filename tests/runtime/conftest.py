"""Black-box harness for the runner's tests: every test builds a workspace in a
temporary directory and runs the runner as the server does, as a subprocess of
Debian's /usr/bin/python3 with -I -B, then reads the files it wrote.
"""
import json
import subprocess
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNNER = REPO_ROOT / "runtime" / "python" / "mecapy_runner.py"
FIXTURES_PACKAGE = REPO_ROOT / "examples" / "fixtures"
PYTHON = "/usr/bin/python3"  # the sandbox's interpreter (the contract), not the one running pytest
RUN_TIMEOUT_SECONDS = 30


def _refuse_constant(name):
    raise ValueError(f"the runner wrote {name}, which is not JSON")


def strict_json(text):
    """Parses JSON as a strict reader would: NaN and Infinity tokens are errors."""
    return json.loads(text, parse_constant=_refuse_constant)


class Workspace:
    def __init__(self, root):
        self.root = root
        self.src = root / "src"
        self.src.mkdir(parents=True)
        (root / "in").mkdir()

    def source(self, relative, text):
        """Writes a module of the package (dedented) and returns its path."""
        path = self.src / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def inputs(self, data):
        self.input_text("data.json", json.dumps(data))

    def input_text(self, name, text):
        (self.root / "in" / name).write_text(text, encoding="utf-8")

    def input_file(self, name, content):
        directory = self.root / "in" / "files"
        directory.mkdir(exist_ok=True)
        (directory / name).write_bytes(content)
        return directory / name

    def run(self, mode, *arguments, src=None):
        command = [PYTHON, "-I", "-B", str(RUNNER), mode, "--workspace", str(self.root)]
        if src is not None:
            command += ["--src", str(src)]
        command += list(arguments)
        return subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False)

    def out(self, relative):
        return self.root / "out" / relative

    def output(self, relative):
        return strict_json(self.out(relative).read_text(encoding="utf-8"))

    def call(self, handler, inputs=None, src=None):
        """Runs one job; returns (process, outputs or None, error or None).

        The result files of an earlier call are removed first, as if the workspace were new.
        """
        for name in ("data.json", "error.json"):
            self.out(name).unlink(missing_ok=True)
        self.inputs({} if inputs is None else inputs)
        process = self.run("run", "--handler", handler, src=src)
        assert process.returncode == 0, process.stderr
        outputs = self.output("data.json") if self.out("data.json").exists() else None
        error = self.output("error.json") if self.out("error.json").exists() else None
        assert (outputs is None) != (error is None), "exactly one of data.json and error.json"
        return process, outputs, error


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "workspace")
