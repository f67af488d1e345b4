"""What the package tests share: archives built from directories or from a dict of
files, deploys through the real API, and a server whose sandboxes have a pool of their
own (the package tests run package code)."""
import io
import itertools
import os
import tarfile
import textwrap
import zipfile
from pathlib import Path


from support import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
_pools = itertools.count(1)


def sandbox_args():
    """Flags giving a server a sandbox pool and host uid range nobody else uses — not
    even the servers of another test run on the same host (both are keyed by this
    process's id as well as by a counter)."""
    n = next(_pools)
    slot = (os.getpid() % 2048) * 128 + n % 128
    return ["--sandbox-pool", f"mecapy-it-{os.getpid()}-{n}", "--sandbox-uid-range",
            f"{1_200_000_000 + slot * 256}:256"]


def zip_of(files: dict) -> bytes:
    """A zip of {path: text or bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content if isinstance(content, bytes) else textwrap.dedent(content))
    return buffer.getvalue()


def tar_gz_of(files: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = content if isinstance(content, bytes) else textwrap.dedent(content).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def directory_files(directory: Path) -> dict:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def deploy(server, archive: bytes, package_id=None, filename="package.zip"):
    path = f"/api/v1/packages/{package_id}/versions" if package_id else "/api/v1/packages"
    return server.request("POST", path, files={"archive": (filename, archive, "application/zip")}, timeout=120)


def deploy_examples(server, *names):
    """Deploys examples/<name> for each name (a test fails unless each is created)."""
    for name in names:
        r = deploy(server, zip_of(directory_files(EXAMPLES / name)))
        assert r.status_code == 201, f"{name}: {r.text}"


DEMO_FUNCTIONS = """
      area:
        handler: demo:area
        inputs:
          d: {type: Length, unit: mm}
        outputs:
          a: {type: Area, unit: mm^2}
"""


def manifest(name="demo", version="1.0.0", functions=DEMO_FUNCTIONS, extra=""):
    return (f'version: "1"\npackage:\n  name: {name}\n  version: {version}\n  license: MIT\n'
            f"functions:{textwrap.indent(textwrap.dedent(functions), '  ')}{textwrap.dedent(extra)}")


DEMO_MODULE = """
    import math

    def area(d):
        return {"a": math.pi / 4 * d * d}
"""
