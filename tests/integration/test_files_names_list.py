"""Files API, names and listing: hostile filenames are sanitised (no path, no control
characters or NUL, capped at 255 bytes with the extension kept, Unicode NFC) while
the original is kept as metadata, the stored file never lands outside the blob store,
and the list paginates, searches and sorts."""
import os
import unicodedata
from urllib.parse import quote

import pytest

from support import StoreView, assert_problem, multipart_body


def raw_upload(server, name, data=b"payload"):
    """Sends ?filename= percent-encoded byte for byte (UTF-8)."""
    return server.request("POST", "/api/v1/files?filename=" + quote(name, safe=""), data=data,
                          headers={"Content-Type": "application/octet-stream"})


def form_upload(server, name, data=b"payload"):
    ctype, body = multipart_body([("file", name, None, data)])
    return server.request("POST", "/api/v1/files", data=body, headers={"Content-Type": ctype})


@pytest.fixture(scope="module")
def names_server(module_servers):
    return module_servers.start()


def assert_safe_name(name):
    assert name and len(name.encode()) <= 255
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name), repr(name)
    assert unicodedata.is_normalized("NFC", name)


@pytest.mark.parametrize("upload", [raw_upload, form_upload], ids=["raw", "multipart"])
@pytest.mark.parametrize("original,expected", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("/etc/shadow", "shadow"),
    ("C:\\Users\\x\\report.pdf", "report.pdf"),
    ("..", "file"),
    ("../", "file"),
    ("bell\x07tab\tnew\nline\r.txt", "belltabnewline.txt"),
    ("esc\x1b[31mred\x7f\u0085.log", "esc[31mred.log"),
    ("a<b>c:d|e?f*g\".txt", "a_b_c_d_e_f_g_.txt"),
    (".hidden", "hidden"),
    ("trailing. . .", "trailing"),
])
def test_hostile_filenames_are_sanitised(names_server, upload, original, expected):
    r = upload(names_server, original)
    if upload is form_upload and any(c in original for c in "\r\n\x00"):
        assert_problem(r, 400, "invalid-header")  # a raw CR, LF or NUL in a part header is refused
        return
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["filename"] == expected
    assert_safe_name(doc["filename"])
    assert doc["original_filename"] == original
    # The content is still where the store keeps it, and nowhere else.
    assert StoreView(names_server.data_dir).blob_path(doc["sha256"]).exists()
    assert not (names_server.data_dir / "passwd").exists() and not (names_server.data_dir / "shadow").exists()
    disposition = names_server.get(f"/api/v1/files/{doc['id']}/content").headers["Content-Disposition"]
    assert "/" not in disposition.split("filename*=")[0] and "\\" not in disposition


def test_nul_in_raw_filename_is_refused_or_removed(names_server):
    r = names_server.request("POST", "/api/v1/files?filename=a%00b.txt", data=b"x",
                             headers={"Content-Type": "text/plain"})
    if r.status_code == 201:
        assert "\x00" not in r.json()["filename"]
        assert r.json()["filename"] == "ab.txt"
    else:
        assert_problem(r, 400)
    assert all("\x00" not in f["filename"] for f in names_server.get("/api/v1/files?per_page=100").json()["items"])


def test_nul_in_multipart_filename_is_refused(names_server):
    assert_problem(form_upload(names_server, "a\x00b.txt"), 400, "invalid-header")


def test_long_name_is_capped_at_255_bytes_keeping_the_extension(names_server):
    for original in ("x" * 400 + ".step", "é" * 300 + ".csv", "日本" * 100 + ".tar.gz"):
        doc = raw_upload(names_server, original).json()
        name = doc["filename"]
        assert len(name.encode()) <= 255, len(name.encode())
        assert len(name.encode()) >= 240  # capped, not emptied
        assert name.endswith(os.path.splitext(original)[1])
        assert original.startswith(os.path.splitext(name)[0][:10])
        assert doc["original_filename"] == original
        name.encode("utf-8").decode("utf-8")  # cut on a character boundary


def test_unicode_nfd_is_stored_nfc(names_server):
    nfd = unicodedata.normalize("NFD", "Résumé-Übergröße.txt")
    assert nfd != unicodedata.normalize("NFC", nfd)
    for upload in (raw_upload, form_upload):
        doc = upload(names_server, nfd).json()
        assert doc["filename"] == "Résumé-Übergröße.txt"
        assert unicodedata.is_normalized("NFC", doc["filename"])
        assert doc["original_filename"] == nfd
    r = names_server.get(f"/api/v1/files/{doc['id']}/content")
    disposition = r.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("Résumé-Übergröße.txt", safe="") in disposition
    ascii_part = disposition.split(";")[1]
    assert all(ord(c) < 0x80 for c in ascii_part) and 'filename="R_sum_-' in ascii_part


def test_invalid_utf8_filename_does_not_break_responses(names_server):
    """Malformed UTF-8 in a name is refused or replaced: every response stays valid
    UTF-8 JSON (RFC 8259), including the kept original name."""
    r = names_server.request("POST", "/api/v1/files?filename=bad%FF%FEname.bin", data=b"x",
                             headers={"Content-Type": "application/octet-stream"})
    assert r.status_code in (201, 400), r.text
    r.content.decode("utf-8")  # strict
    if r.status_code == 201:
        doc = r.json()
        assert doc["filename"] == "bad\ufffd\ufffdname.bin"
        assert names_server.get(f"/api/v1/files/{doc['id']}").content.decode("utf-8")
    listed = names_server.get("/api/v1/files?per_page=100")
    assert listed.status_code == 200
    listed.content.decode("utf-8")


# --- listing -------------------------------------------------------------------


@pytest.fixture(scope="module")
def listing(module_servers):
    s = module_servers.start()
    names = ["beam.step", "Bolt-M12.csv", "bolt-M8.csv", "plate.pdf", "notes_50%.txt", "weld.stl", "zeta.bin"]
    docs = []
    for i, name in enumerate(names):
        docs.append(raw_upload(s, name, b"#" * (100 * (len(names) - i) + i)).json())
    return s, docs


def ids(page):
    return [f["id"] for f in page["items"]]


def test_list_paginates_newest_first(listing):
    s, docs = listing
    first = s.get("/api/v1/files", params={"per_page": 3}).json()
    assert (first["page"], first["per_page"], first["total"]) == (1, 3, 7)
    pages = [s.get("/api/v1/files", params={"per_page": 3, "page": p}).json() for p in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    seen = sum((ids(p) for p in pages), [])
    assert sorted(seen) == sorted(d["id"] for d in docs) and len(set(seen)) == 7
    default = s.get("/api/v1/files").json()
    assert default["per_page"] == 20 and default["page"] == 1
    created = [f["created_at"] for f in default["items"]]
    assert created == sorted(created, reverse=True)
    assert set(default["items"][0]) >= {"id", "filename", "size", "sha256", "content_type", "created_at"}


def test_list_sorts(listing):
    s, docs = listing

    def order(sort):
        return [f["filename"] for f in s.get("/api/v1/files", params={"sort": sort, "per_page": 100}).json()["items"]]

    by_name = order("filename")
    assert by_name == sorted(by_name) and by_name[0] == "Bolt-M12.csv"
    assert order("-filename") == by_name[::-1]
    sizes = {d["filename"]: d["size"] for d in docs}
    assert [sizes[n] for n in order("size")] == sorted(sizes.values())
    assert [sizes[n] for n in order("-size")] == sorted(sizes.values(), reverse=True)
    oldest_first = order("created_at")
    assert oldest_first[0] == "beam.step" and oldest_first[-1] == "zeta.bin"


def test_list_searches_by_name_case_insensitively(listing):
    s, _ = listing

    def found(q):
        page = s.get("/api/v1/files", params={"q": q, "per_page": 100}).json()
        assert page["total"] == len(page["items"])
        return sorted(f["filename"] for f in page["items"])

    assert found("bolt") == ["Bolt-M12.csv", "bolt-M8.csv"]
    assert found("CSV") == ["Bolt-M12.csv", "bolt-M8.csv"]
    assert found("50%") == ["notes_50%.txt"]  # LIKE wildcards are literal
    assert found("%") == ["notes_50%.txt"]
    assert found("_") == ["notes_50%.txt"]
    assert found("nothing-like-this") == []
    page = s.get("/api/v1/files", params={"q": "bolt", "per_page": 1, "page": 2}).json()
    assert page["total"] == 2 and len(page["items"]) == 1


@pytest.mark.parametrize("params", [
    {"sort": "owner_id"}, {"sort": "size; DROP TABLE files"}, {"sort": "--size"},
    {"page": "0"}, {"page": "-1"}, {"page": "two"}, {"per_page": "0"}, {"per_page": "101"},
    {"per_page": "1e3"}, {"page": "1.5"},
])
def test_list_rejects_bad_query(listing, params):
    s, _ = listing
    assert_problem(s.get("/api/v1/files", params=params), 400, "invalid-query")
    assert s.get("/api/v1/files").json()["total"] == 7
