"""Hostile archives and sources through the deploy API: each gets a clear 4xx
problem, and nothing is kept — no package row, no blob, no scratch file."""
import io
import stat
import tarfile
import zipfile

import pytest

from packages_support import DEMO_MODULE, deploy, manifest, sandbox_args, zip_of


@pytest.fixture(scope="module")
def pkg_server(module_servers):
    return module_servers.start(*sandbox_args(), "--max-archive-size", "1MiB")


def stored_state(server):
    """What a refused deploy must leave unchanged: packages, blobs and scratch files."""
    blobs = sorted(p.name for p in (server.data_dir / "blobs").rglob("*") if p.is_file())
    scratch = server.data_dir / "tmp" / "deploy"
    leftovers = sorted(str(p) for p in scratch.rglob("*")) if scratch.exists() else []
    total = server.get("/api/v1/packages", params={"archived": "true"}).json()["total"]
    return total, blobs, leftovers


def refused(server, archive, status, code):
    before = stored_state(server)
    r = deploy(server, archive)
    assert r.status_code == status, r.text
    body = r.json()
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert body["type"].endswith("#" + code), body
    assert stored_state(server) == before
    return body


def good_files():
    return {"mecapy.yml": manifest(name="attack-demo"), "demo.py": DEMO_MODULE}


def zip_with(extra_name, data=b"x"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in good_files().items():
            archive.writestr(name, content)
        archive.writestr(extra_name, data)
    return buffer.getvalue()


def tar_with(member, data=b""):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in good_files().items():
            raw = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data) if data else None)
    return buffer.getvalue()


def test_zip_slip_is_refused(pkg_server, tmp_path):
    body = refused(pkg_server, zip_with("../../escaped.py"), 400, "archive-entry-parent-reference")
    assert "escaped.py" in body["detail"]
    assert not (pkg_server.data_dir.parent / "escaped.py").exists()


def test_absolute_paths_are_refused(pkg_server):
    refused(pkg_server, tar_with(tarfile.TarInfo("/tmp/mecapy-absolute.py"), b"x"), 400,
            "archive-entry-absolute-path")


def test_symlink_escape_is_refused(pkg_server):
    link = tarfile.TarInfo("etc")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc"
    refused(pkg_server, tar_with(link), 400, "archive-entry-symlink")


def test_hard_link_outside_is_refused(pkg_server):
    link = tarfile.TarInfo("passwd")
    link.type = tarfile.LNKTYPE
    link.linkname = "/etc/passwd"
    refused(pkg_server, tar_with(link), 400, "archive-entry-hardlink")


def test_device_entries_are_refused(pkg_server):
    device = tarfile.TarInfo("null")
    device.type = tarfile.CHRTYPE
    device.devmajor, device.devminor = 1, 3
    device.mode = stat.S_IFCHR | 0o666
    refused(pkg_server, tar_with(device), 400, "archive-entry-special-file")


def test_a_zip_bomb_is_stopped(pkg_server):
    # 200 MiB of zeros deflate to about 200 KiB: a ratio of about 1000:1.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in good_files().items():
            archive.writestr(name, content)
        with archive.open("data.bin", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(200):
                member.write(chunk)
    assert len(buffer.getvalue()) < 1 << 20
    body = refused(pkg_server, buffer.getvalue(), 400, "archive-compression-ratio")
    assert "data.bin" in body["detail"] or "ratio" in body["detail"]


def test_an_oversize_archive_gets_413(pkg_server):
    refused(pkg_server, zip_with("big.bin", bytes(range(256)) * 6000), 413, "archive-too-large")  # 1.5 MiB
    refused(pkg_server, zip_with("big.bin", bytes(range(256)) * 40000), 413, "archive-too-large")  # 10 MiB


def test_garbage_and_missing_manifests_are_refused(pkg_server):
    refused(pkg_server, b"this is not an archive at all" * 10, 400, "archive-unsupported")
    refused(pkg_server, zip_of({"demo.py": DEMO_MODULE}), 400, "manifest-missing")


def test_manifest_errors_are_all_listed_with_positions(pkg_server):
    bad = '''
        version: "1"
        package:
          name: bad-demo
          version: 1.2
          descripton: typo
        functions:
          area:
            handler: demo:area
            inputs:
              d: {type: Lenght, unit: mm}
              f: {type: Force, unit: mm}
            resources: {tier: small, cpu: 2}
    '''
    body = refused(pkg_server, zip_of({"mecapy.yml": bad, "demo.py": DEMO_MODULE}), 422, "invalid-manifest")
    lines = sorted(e["line"] for e in body["errors"])
    assert lines == [5, 6, 11, 12, 13], body["errors"]
    text = " | ".join(e["message"] for e in body["errors"])
    assert "did you mean 'description'" in text
    assert "did you mean 'Length'" in text
    assert "gives both a tier and cpu/memory_mb" in text
    assert all(e["file"] == "mecapy.yml" and e["column"] > 0 for e in body["errors"])


def test_dockerfile_runtimes_are_refused_with_the_reason(pkg_server):
    files = good_files()
    files["mecapy.yml"] = files["mecapy.yml"].replace("functions:", "runtime: {kind: dockerfile}\nfunctions:")
    body = refused(pkg_server, zip_of(files), 422, "invalid-manifest")
    assert "runs Python packages and 'entrypoint' commands only" in body["detail"]


def test_source_scan_findings_are_warnings_by_default(pkg_server):
    module = "import socket\nimport subprocess\n\ndef area(d):\n    return {'a': eval(str(d))}\n"
    r = deploy(pkg_server, zip_of({"mecapy.yml": manifest(name="scan-demo"), "demo.py": module}))
    assert r.status_code == 201, r.text
    warnings = [w for w in r.json()["warnings"] if w.get("file") == "demo.py"]
    assert {w["line"] for w in warnings} >= {1, 2, 5}, warnings


def test_source_scan_findings_refuse_when_the_server_says_so(servers):
    server = servers.start(*sandbox_args(), "--package-scan", "refuse")
    module = "import socket\n\ndef area(d):\n    return {'a': d}\n"
    body = refused(server, zip_of({"mecapy.yml": manifest(name="scan-refused"), "demo.py": module}), 422,
                   "unsafe-source")
    assert body["findings"][0]["file"] == "demo.py" and body["findings"][0]["line"] == 1


def test_resources_above_the_servers_cap_are_refused(servers):
    server = servers.start(*sandbox_args(), "--max-tier", "micro")
    files = good_files()
    files["mecapy.yml"] = manifest(name="big-demo", functions="""
      area:
        handler: demo:area
        resources: {tier: large}
    """)
    body = refused(server, zip_of(files), 422, "invalid-manifest")
    assert "this server allows at most 1" in body["detail"]


def test_code_cannot_escape_the_sandbox_at_import(pkg_server):
    """Import-time code runs in the sandbox: no network, no host files, no way out."""
    module = '''
        import os, socket
        found = os.path.exists("/etc/shadow") or os.path.exists(os.path.expanduser("~root/.bashrc"))
        try:
            socket.create_connection(("127.0.0.1", 1), timeout=1)
            network = True
        except OSError:
            network = False
        if found or network or os.getuid() == 0:
            raise RuntimeError(f"escaped: files={found} network={network} uid={os.getuid()}")
        limits = (os.environ.get("MECAPY_CPU_LIMIT"), os.environ.get("MECAPY_MEM_LIMIT_MB"),
                  os.environ.get("MECAPY_SCRATCH"))
        if limits != ("2", "2048", "/tmp"):  # the default tier, small
            raise RuntimeError(f"limits not announced: {limits}")

        def area(d):
            return {"a": d}
    '''
    r = deploy(pkg_server, zip_of({"mecapy.yml": manifest(name="escape-demo"), "demo.py": module}))
    assert r.status_code == 201, r.text


def test_scratch_left_by_an_interrupted_deploy_is_removed_at_start(servers):
    data_dir = servers.new_dir()
    leftover = data_dir / "tmp" / "deploy" / "deploy-crashed" / "tree"
    leftover.mkdir(parents=True)
    (leftover / "mecapy.yml").write_text("version: '1'\n")
    servers.start(*sandbox_args(), data_dir=data_dir)
    assert not leftover.parent.exists()
