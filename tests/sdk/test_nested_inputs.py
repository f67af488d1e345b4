"""Values the examples do not have: quantities inside lists and structs, and a file
input named `request` — the one name a multipart execute reserves, so the SDK uploads
that file first and gives its id."""
import pytest

from packages_support import deploy, manifest, zip_of

FUNCTIONS = """
  total:
    handler: nested:total
    inputs:
      loads: {type: "list[Force]", unit: N}
      section: {type: "{d: Length, p: Length}"}
    outputs:
      sum: {type: Force, unit: N}
      d: {type: Length, unit: m}
  peek:
    handler: nested:peek
    inputs:
      request: {type: File}
    outputs:
      size: {type: Integer}
"""

MODULE = """
    import os


    def total(loads, section):
        return {"sum": sum(loads), "d": section["d"]}


    def peek(request):
        return {"size": os.path.getsize(request)}
"""


@pytest.fixture(scope="module")
def nested(server, client):
    r = deploy(server, zip_of({"mecapy.yml": manifest(name="nested", functions=FUNCTIONS), "nested.py": MODULE}))
    assert r.status_code == 201, r.text
    return client.load("admin/nested")


def test_quantities_inside_lists_and_structs_are_converted(nested):
    outputs = nested.total(loads=[(1, "kN"), 500, (0.25, "kN")], section={"d": (10, "mm"), "p": (1.5, "mm")})
    assert outputs["sum"] == 1750.0
    assert outputs["d"] == pytest.approx(0.01, rel=1e-15)
    submitted = outputs.job.data["submitted_inputs"]
    assert submitted["loads"] == [{"value": 1, "unit": "kN"}, 500, {"value": 0.25, "unit": "kN"}]
    assert submitted["section"]["d"] == {"value": 10, "unit": "mm"}


def test_a_file_input_named_request_is_uploaded_first(nested, tmp_path, server):
    path = tmp_path / "body.bin"
    path.write_bytes(b"x" * 1234)
    outputs = nested.peek(request=path)
    assert outputs == {"size": 1234}
    (given,) = outputs.job.data["input_files"]
    stored = server.get(f"/api/v1/files/{given['file_id']}").json()
    assert stored["original_filename"] == "body.bin" and stored["size"] == 1234
