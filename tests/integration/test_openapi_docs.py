"""/openapi.json describes exactly what the server answers; /docs pages render."""
import re

import pytest

from support import assert_problem

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@pytest.fixture(scope="module")
def document(server):
    r = server.get("/openapi.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def operations(document):
    for path, item in document["paths"].items():
        for method in item:
            if method in METHODS:
                yield path, method.upper(), item[method]


def concrete(path):
    return re.sub(r"\{[^}]+\}", "example-id", path)


def test_document_is_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["paths"]


def test_every_documented_operation_is_answered(server, document):
    ops = list(operations(document))
    assert len(ops) >= 8
    for path, method, op in ops:
        r = server.request(method, concrete(path))
        assert r.status_code not in (404, 405) or "{" in path, (method, path, r.status_code, r.text[:200])
        assert r.status_code < 500 or path == "/ready", (method, path, r.status_code)
        if method == "GET" and r.status_code == 200:
            documented = set(op.get("responses", {}))
            assert "200" in documented, (path, documented)


def test_every_operation_documents_its_responses(document):
    for path, method, op in operations(document):
        assert op.get("responses"), (method, path)
        assert op.get("summary") or op.get("description"), (method, path)


def test_operational_routes_are_documented(document):
    for path in ("/health", "/ready", "/metrics", "/openapi.json", "/docs", "/api/v1/features",
                 "/api/v1/instance"):
        assert "get" in document["paths"].get(path, {}), path


@pytest.mark.parametrize("path", ["/api", "/api/v1", "/api/v1/", "/health/", "/healthz", "/api/v1/instances",
                                  "/api/v1/instance/extra", "/openapi.yaml", "/docs/nope", "/../etc/passwd"])
def test_paths_not_in_the_document_are_404(server, document, path):
    assert path not in document["paths"]
    assert_problem(server.get(path), 404)


def test_methods_not_in_the_document_are_405(server, document):
    for path, item in document["paths"].items():
        if "{" in path:
            continue
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            if method.lower() in item:
                continue
            r = server.request(method, path)
            assert_problem(r, 405)
            allowed = {m.strip() for m in r.headers["Allow"].split(",")}
            assert {m.upper() for m in item} <= allowed, (method, path, allowed)


def test_docs_page_is_html_and_names_the_routes(server, document):
    r = server.get("/docs")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<html" in r.text.lower()
    for path in document["paths"]:
        assert path in r.text, f"/docs does not mention {path}"


def test_problem_types_are_documented(server):
    r = server.get("/docs/problems")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    for slug in ("not-found", "method-not-allowed", "unsupported-api-version", "body-too-large",
                 "header-too-large", "malformed-request", "not-ready", "cors-origin-refused", "internal-error"):
        assert re.search(rf'id=["\']{re.escape(slug)}["\']', r.text), f"/docs/problems has no anchor #{slug}"


def test_head_is_answered_without_a_body(server):
    r = server.request("HEAD", "/openapi.json")
    assert r.status_code == 200
    assert r.content == b""
    assert int(r.headers["Content-Length"]) > 100
