"""`mecapy deploy` against a real server: a package directory is packed (without what
its .gitignore and the built-in list exclude) and deployed, an archive is sent as it
is, the deploy report is printed, a refused manifest lists its errors as
file:line:col, and deploying an existing version again is refused (exit 2)."""
import json
import shutil

import pytest

from packages_support import EXAMPLES, directory_files, sandbox_args, zip_of


@pytest.fixture
def fresh(servers, cli):
    """A server without any package, and `cli` signed in to it."""
    server = servers.start(*sandbox_args())
    cli.api_url = server.base_url
    done = cli.run("login", "--token", input=server.token + "\n")
    assert done.returncode == 0, done.stderr
    return server, cli


@pytest.mark.deadline(120)
def test_deploy_a_directory_then_its_version_again(fresh, server, tmp_path):
    deployed, cli = fresh
    package = tmp_path / "fixtures"
    shutil.copytree(EXAMPLES / "fixtures", package)
    (package / ".gitignore").write_text("# local files\n*.log\nbuild/\n/.gitignore\n")
    (package / "run.log").write_text("not part of the package")
    (package / "build").mkdir()
    (package / "build" / "out.bin").write_bytes(b"\0" * 10)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")

    done = cli.run("deploy", package)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "created admin/fixtures 1.0.0"
    statuses = {line.split()[0]: line.split()[1] for line in lines[2:] if not line.startswith("tests:")}
    assert len(statuses) == 10 and set(statuses.values()) == {"deployed"}
    assert any(line.startswith("tests: ") and line.endswith(" 0 failed") for line in lines)
    # What was packed is exactly the example's files: the same source tree as the
    # example deployed from its own files (by the module's server).
    def source_sha256(s):
        return s.get("/api/v1/packages/admin%2Ffixtures/versions").json()["items"][0]["source_sha256"]
    assert source_sha256(deployed) == source_sha256(server)

    again = cli.run("deploy", package)
    assert again.returncode == 2
    assert "version-exists" in again.stderr


@pytest.mark.deadline(120)
def test_deploy_an_archive_with_a_json_report(fresh, tmp_path):
    _, cli = fresh
    archive = tmp_path / "bolted-joint.zip"
    archive.write_bytes(zip_of(directory_files(EXAMPLES / "bolted-joint")))
    done = cli.run("deploy", archive, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "created" and report["package"]["name"] == "bolted-joint"
    assert {f["status"] for f in report["functions"]} == {"deployed"}


def test_a_refused_manifest_lists_its_errors_at_their_position(fresh, tmp_path):
    _, cli = fresh
    package = tmp_path / "broken"
    package.mkdir()
    (package / "mecapy.yml").write_text('version: "1"\npackage:\n  name: Not A Name\n  version: one\n'
                                        "functions: {}\n")
    done = cli.run("deploy", package)
    assert done.returncode == 2, done.stderr
    positions = [line.strip().split(": ")[0] for line in done.stderr.splitlines()[1:]]
    assert "mecapy.yml:3:9" in positions and "mecapy.yml:4:12" in positions, done.stderr


def test_deploy_needs_a_manifest_and_credentials(cli, tmp_path):
    assert cli.run("deploy", tmp_path).returncode == 3  # not signed in comes first
    done = cli.run("deploy", tmp_path, env={"MECAPY_TOKEN": "mcp_x"})
    assert done.returncode == 2
    assert "no mecapy.yml" in done.stderr
