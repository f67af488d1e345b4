"""What the identity tests share: users made through the admin API, their sessions and
tokens, the audit log, the cookies a sign-in sets, the test OpenID Connect issuer and
the browser's steps of a sign-in through it, a small package to deploy and run, and a
census of the stored rows that proves a refused request left nothing behind."""
import json
import sqlite3
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from packages_support import DEMO_FUNCTIONS, DEMO_MODULE, deploy, manifest, zip_of
from support import HTTP_TIMEOUT, REPO_ROOT, StoreView, assert_problem, create_token, sign_in

if str(REPO_ROOT / "tests" / "peers") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "tests" / "peers"))
from oidc_issuer import OidcIssuer  # noqa: E402

PASSWORD = "correct horse battery staple"
ALL_SCOPES = ("read", "run", "deploy")

# Tables whose rows a refused request must not add to (the audit log is left out: a
# refused sign-in is audited on purpose).
CENSUS_TABLES = ("users", "handles", "sessions", "api_tokens", "organizations", "organization_members", "files",
                 "blobs", "packages", "package_versions", "jobs", "login_states")


# Where the test issuer sends the browser back: the UI's callback page.
REDIRECT_URI = "http://127.0.0.1/auth/callback"


@pytest.fixture(scope="module")
def issuer():
    """A test OpenID Connect issuer (tests/peers/oidc_issuer.py) for one module."""
    peer = OidcIssuer()
    yield peer
    peer.stop()


def oidc_args(issuer):
    """mecapyd flags trusting the test issuer (tests/peers/oidc_issuer.py) for access
    tokens and browser sign-in."""
    return ["--oidc-issuer", issuer.issuer, "--oidc-client-id", issuer.client_id, "--oidc-redirect-uri", REDIRECT_URI]


def begin_oidc(server):
    """POST /auth/login: {authorization_url, state}."""
    r = requests.post(server.url("/api/v1/auth/login"), json={}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


def authorize(authorization_url):
    """What the browser does at the provider: (code, state) of its redirect back."""
    r = requests.get(authorization_url, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert r.status_code == 302, r.text
    query = parse_qs(urlsplit(r.headers["Location"]).query)
    return query["code"][0], query["state"][0]


def callback(server, code, state):
    """POST /auth/callback, as the UI's callback page does."""
    return requests.post(server.url("/api/v1/auth/callback"), json={"code": code, "state": state},
                         timeout=HTTP_TIMEOUT)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def create_user(server, username, password=PASSWORD, is_admin=False):
    """A built-in user made by the administrator; returns the user document."""
    r = server.request("POST", "/api/v1/admin/users",
                       json={"username": username, "password": password, "is_admin": is_admin})
    assert r.status_code == 201, r.text
    return r.json()


def session_of(server, username, password=PASSWORD):
    return sign_in(server.base_url, username, password)


def token_of(server, username, scopes=ALL_SCOPES, password=PASSWORD):
    return create_token(server.base_url, username, password, scopes=scopes)


def login(server, username, password, **kw):
    """A raw sign-in attempt (requests.Response), for the tests of its answers."""
    return requests.post(server.url("/api/v1/auth/local/login"), json={"username": username, "password": password},
                         timeout=HTTP_TIMEOUT, **kw)


def set_cookies(response):
    """{name: (value, {attribute lower-case: value or True})} of every Set-Cookie field."""
    cookies = {}
    for field in response.raw.headers.getlist("Set-Cookie"):
        pair, *attributes = [part.strip() for part in field.split(";")]
        name, _, value = pair.partition("=")
        attrs = {}
        for a in attributes:
            key, eq, val = a.partition("=")
            attrs[key.lower()] = val if eq else True
        cookies[name] = (value, attrs)
    return cookies


def audit_events(server, **query):
    """The administrator's view of the audit log: the items of one page."""
    r = server.get("/api/v1/admin/audit", params=query)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def expire_token(server, token_id):
    """Moves an API token's expiry into the past, in the SQLite file of `server`.

    Test setup, not a black-box step: a token's expiry cannot be shorter than a day
    through the API (a minute with `mecapyd admin create-token --expires`), and a
    running server's clock cannot be moved. Done before the token is first used."""
    db = sqlite3.connect(server.data_dir / "mecapy.db", timeout=5)
    try:
        with db:
            changed = db.execute("UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?",
                                 (token_id,)).rowcount
    finally:
        db.close()
    assert changed == 1, token_id


def census(server):
    """{table: row count} of a SQLite server's data directory."""
    store = StoreView(server.data_dir)
    return {t: store.query(f"SELECT count(*) FROM {t}")[0][0] for t in CENSUS_TABLES}


def assert_refused(response, status, problem_type, reason=None):
    """A refusal as the identity routes promise it; with `reason`, the invalid-token
    problem's reason member too."""
    doc = assert_problem(response, status, problem_type)
    if reason is not None:
        assert doc.get("reason") == reason, doc
    if status == 401:
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), response.headers
    return doc


# The function of publish_calc(): what attempt_changes() tries to run.
PUBLIC_FUNCTION = "/api/v1/packages/admin%2Fcalc/functions/area/execute"


def publish_calc(server):
    """The administrator's calc package (CALC_FUNCTIONS), public: a function any
    signed-in caller may run. The server needs a sandbox (packages_support.sandbox_args)."""
    r = deploy(server, calc_archive())
    assert r.status_code == 201, r.text
    r = server.request("PATCH", f"/api/v1/packages/{r.json()['package']['id']}", json={"visibility": "public"})
    assert r.status_code == 200, r.text


def attempt_changes(server, headers=None, session=None):
    """Requests that would each create something (a file, a token, an organisation, a
    job of PUBLIC_FUNCTION where the server has it) if the credentials counted: the
    answers, in order."""
    client = session or requests
    headers = dict(headers or {})
    url = server.url
    return [
        client.post(url(PUBLIC_FUNCTION), data=json.dumps({"inputs": {"d": {"value": 2, "unit": "mm"}}}),
                    headers={"Content-Type": "application/json", **headers}, timeout=HTTP_TIMEOUT),
        client.post(url("/api/v1/files"), params={"filename": "attack.txt"}, data=b"attacker's bytes",
                    headers=headers, timeout=HTTP_TIMEOUT),
        client.post(url("/api/v1/auth/tokens"), data=json.dumps({"name": "attacker", "scopes": ["read"]}),
                    headers={"Content-Type": "application/json", **headers}, timeout=HTTP_TIMEOUT),
        client.post(url("/api/v1/organisations"), data=json.dumps({"id": "attackers"}),
                    headers={"Content-Type": "application/json", **headers}, timeout=HTTP_TIMEOUT),
    ]


def assert_nothing_happens(server, headers, status, problem_type, reason=None, session=None):
    """Every request of attempt_changes() with `headers` is refused alike, and no row
    appears anywhere."""
    before = census(server)
    for r in attempt_changes(server, headers, session):
        assert_refused(r, status, problem_type, reason)
    assert census(server) == before


# The package of the owner and visibility tests: packages_support's demo function
# `area`, which answers at once, with one that writes an output file and one that
# takes its time.
CALC_FUNCTIONS = DEMO_FUNCTIONS + """
      report:
        handler: demo:report
        cache: false
        inputs:
          title: {type: String}
        outputs:
          lines: {type: Integer}
      nap:
        handler: demo:nap
        cache: false
        inputs:
          seconds: {type: Float}
        outputs:
          slept: {type: Float}
"""

CALC_MODULE = DEMO_MODULE + """
    import time

    import mecapy_runner


    def report(title):
        (mecapy_runner.output_dir() / "report.txt").write_text(title + "\\n", encoding="utf-8")
        return {"lines": 1}


    def nap(seconds):
        time.sleep(seconds)
        return {"slept": seconds}
"""


def calc_archive(name="calc", version="1.0.0"):
    return zip_of({"mecapy.yml": manifest(name=name, version=version, functions=CALC_FUNCTIONS),
                   "demo.py": CALC_MODULE})


def deploy_with(server, client, archive, package_id=None, owner=None):
    """Deploys `archive` with `client` (a signed-in requests.Session): a new package
    (into organisation `owner` when given) or a new version of `package_id`."""
    path = f"/api/v1/packages/{package_id}/versions" if package_id else "/api/v1/packages"
    return client.post(server.url(path), params={"owner": owner} if owner else None,
                       files={"archive": ("package.zip", archive, "application/zip")}, timeout=120)


def execute_with(server, client, package, function, inputs, **options):
    return client.post(server.url(f"/api/v1/packages/{package}/functions/{function}/execute"),
                       json={"inputs": inputs, **options}, timeout=60)
