"""mecapyd serving the web UI (web_dir) at `/`, beside the API: pages and assets over
real sockets, compression, caching, the pages' own CSP, and paths that try to leave
the UI's directory."""
import gzip
import hashlib
import base64

import pytest
import requests

from support import HTTP_TIMEOUT, assert_problem

INLINE = "document.documentElement.dataset.ready='1'"
PAGE = ("<!DOCTYPE html><html><head><script src=\"/_next/static/chunks/app-1a2b.js\"></script>"
        f"<script>{INLINE}</script></head><body>{'MecaPy ' * 200}</body></html>")
ASSET = "export const x = '" + "y" * 5000 + "';\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text(PAGE)
    (root / "404.html").write_text("<html>page not found</html>")
    (root / "files").mkdir()
    (root / "files" / "index.html").write_text("<html>files page</html>")
    (root / "_next" / "static" / "chunks").mkdir(parents=True)
    (root / "_next" / "static" / "chunks" / "app-1a2b.js").write_text(ASSET)
    (root / ".secret").write_text("not served")
    (tmp_path_factory.getbasetemp() / "outside.txt").write_text("outside the site")
    return root


@pytest.fixture(scope="module")
def ui_server(module_servers, site):
    return module_servers.start("--web-dir", str(site))


def test_the_ui_is_served_at_the_root_with_its_own_inline_scripts_allowed(ui_server):
    r = ui_server.get("/", auth=False)
    assert r.status_code == 200
    assert r.text == PAGE
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-cache"
    digest = base64.b64encode(hashlib.sha256(INLINE.encode()).digest()).decode()
    csp = r.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert r.headers["X-Frame-Options"] == "DENY"


def test_assets_are_compressed_for_clients_that_ask_and_cached_forever(ui_server):
    url = ui_server.url("/_next/static/chunks/app-1a2b.js")
    raw = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=HTTP_TIMEOUT)
    body = raw.raw.read()
    assert raw.headers["Content-Encoding"] == "gzip"
    assert int(raw.headers["Content-Length"]) == len(body) < len(ASSET) // 10
    assert gzip.decompress(body).decode() == ASSET
    assert raw.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert raw.headers["Vary"] == "Accept-Encoding"
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=HTTP_TIMEOUT)
    assert "Content-Encoding" not in plain.headers and plain.text == ASSET


def test_revalidation_and_head(ui_server):
    first = ui_server.get("/files/", auth=False)
    again = ui_server.get("/files/", auth=False, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    head = ui_server.request("HEAD", "/files/", auth=False)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(first.content)


def test_a_directory_without_its_slash_is_redirected_keeping_the_query(ui_server):
    r = ui_server.get("/files?page=2", auth=False, allow_redirects=False)
    assert r.status_code == 308
    assert r.headers["Location"] == "/files/?page=2"


def test_the_api_keeps_its_own_answers(ui_server):
    assert ui_server.get("/health", auth=False).json()["status"] == "ok"
    assert_problem(ui_server.get("/api/v1/nothing-here", auth=False), 404, "not-found")
    assert_problem(ui_server.get("/api", auth=False), 404, "not-found")
    # A method other than GET/HEAD on a UI path is no page.
    assert ui_server.request("POST", "/files/", auth=False).status_code == 404


def test_an_unknown_page_is_the_uis_404(ui_server):
    r = ui_server.get("/no/such/page/", auth=False)
    assert r.status_code == 404
    assert r.text == "<html>page not found</html>"


@pytest.mark.parametrize("target", [
    b"/../outside.txt", b"/%2e%2e/outside.txt", b"/%2E%2E%2Foutside.txt", b"/..%2f..%2foutside.txt",
    b"/.secret", b"/files/../../outside.txt", b"//outside.txt", b"/files/..%5c..%5coutside.txt",
])
def test_no_path_leaves_the_uis_directory(ui_server, target):
    response, _ = ui_server.exchange(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert response.status in (400, 404), response
    assert b"outside the site" not in response.body and b"not served" not in response.body


def test_a_web_dir_that_does_not_exist_stops_the_start(module_servers, tmp_path):
    server = module_servers.start("--web-dir", str(tmp_path / "missing"), wait=False)
    assert server.wait_exit(timeout=15) != 0
    assert "web-dir" in server.stderr() + server.raw_log() or "does not exist" in server.stderr() + server.raw_log()


def test_no_ui_is_served_with_none(module_servers):
    server = module_servers.start("--web-dir", "none")
    assert_problem(server.get("/", auth=False), 404, "not-found")
