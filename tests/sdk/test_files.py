"""File inputs: a pathlib.Path is uploaded with the call; a file uploaded before is
given again by its RemoteFile or its id."""
import hashlib
from pathlib import Path

import pytest

import mecapy

CONTENT = b"case,force\n1,1000\n2,2500\nno newline at the end"


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "load cases.csv"
    path.write_bytes(CONTENT)
    return path


def expected_info():
    return {"size": len(CONTENT), "sha256": hashlib.sha256(CONTENT).hexdigest(), "lines": 4}


def test_a_path_argument_is_uploaded_with_the_call(fixtures, csv_file, server):
    outputs = fixtures.file_info.with_options(no_cache=True)(file=csv_file)
    assert outputs == expected_info()
    (input_file,) = outputs.job.data["input_files"]
    listed = server.get("/api/v1/files").json()["items"]
    assert any(f["id"] == input_file["file_id"] and f["original_filename"] == "load cases.csv" for f in listed)


def test_an_uploaded_file_is_given_again_by_reference_or_id(client, fixtures, csv_file):
    remote = client.upload(csv_file)
    assert isinstance(remote, mecapy.RemoteFile)
    assert remote.size == len(CONTENT) and remote.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert fixtures.file_info.with_options(no_cache=True)(file=remote) == expected_info()
    by_id = fixtures.file_info.with_options(no_cache=True)(file=remote.id)
    assert by_id == expected_info()
    assert by_id.job.data["input_files"][0]["file_id"] == remote.id


def test_a_missing_local_file_fails_before_anything_is_sent(fixtures, tmp_path):
    with pytest.raises(FileNotFoundError):
        fixtures.file_info(file=tmp_path / "absent.csv")


def test_a_path_inside_another_value_is_refused(fixtures, csv_file):
    with pytest.raises(TypeError, match="input of its own"):
        fixtures.numpy_stats(values=[1.0, Path(csv_file)])


def test_a_file_name_with_line_breaks_never_reaches_a_header(fixtures, tmp_path, server):
    path = tmp_path / "two\r\nlines.csv"
    path.write_bytes(CONTENT)
    outputs = fixtures.file_info.with_options(no_cache=True)(file=path)
    assert outputs == expected_info()
    stored = server.get(f"/api/v1/files/{outputs.job.data['input_files'][0]['file_id']}").json()
    assert stored["original_filename"] == "two__lines.csv"
