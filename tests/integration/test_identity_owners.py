"""Owner checks between two users, alice and bob (made through the admin API): what
bob may not see answers 404 (alice's files, jobs, tokens, private packages), what he
may see but not change answers 403 permission-denied (her public and internal
packages) — and after each refusal alice finds everything as it was."""
import time

import pytest

from identity_support import assert_refused, calc_archive, create_user, deploy_with, execute_with, session_of
from packages_support import sandbox_args
from support import HTTP_TIMEOUT


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start(*sandbox_args(), "--max-sync-wait", "20s", "--worker-slots", "2")


@pytest.fixture(scope="module")
def alice(server):
    create_user(server, "alice")
    return session_of(server, "alice")


@pytest.fixture(scope="module")
def bob(server):
    create_user(server, "bob")
    return session_of(server, "bob")


@pytest.fixture(scope="module")
def calc(server, alice):
    r = deploy_with(server, alice, calc_archive())
    assert r.status_code == 201, r.text
    return r.json()["package"]


def get(server, client, path, **kw):
    return client.get(server.url(path), timeout=HTTP_TIMEOUT, **kw)


def test_another_users_file_is_not_found(server, alice, bob):
    r = alice.post(server.url("/api/v1/files"), params={"filename": "secret.txt"}, data=b"alice's secret",
                   timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    for refused in (get(server, bob, f"/api/v1/files/{file_id}"),
                    get(server, bob, f"/api/v1/files/{file_id}/content"),
                    bob.delete(server.url(f"/api/v1/files/{file_id}"), timeout=HTTP_TIMEOUT)):
        assert_refused(refused, 404, "file-not-found")
    assert file_id not in get(server, bob, "/api/v1/files").text
    assert get(server, alice, f"/api/v1/files/{file_id}/content").content == b"alice's secret"


@pytest.mark.deadline(120)
def test_another_users_job_is_not_found(server, alice, bob, calc):
    done = execute_with(server, alice, calc["id"], "report", {"title": "Q3"})
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text
    finished = done.json()["job_id"]
    slow = execute_with(server, alice, calc["id"], "nap", {"seconds": 2}, **{"async": True})
    assert slow.status_code == 202, slow.text
    running = slow.json()["job_id"]

    for job in (finished, running):
        for path in ("", "/result", "/logs", "/events", "/files/report.txt"):
            assert_refused(get(server, bob, f"/api/v1/jobs/{job}{path}"), 404, "job-not-found")
        assert_refused(bob.post(server.url(f"/api/v1/jobs/{job}/cancel"), timeout=HTTP_TIMEOUT), 404,
                       "job-not-found")
    listed = get(server, bob, "/api/v1/jobs").json()
    assert listed["total"] == 0, listed

    assert get(server, alice, f"/api/v1/jobs/{finished}/files/report.txt").content == b"Q3\n"
    deadline = time.monotonic() + 30
    while get(server, alice, f"/api/v1/jobs/{running}").json()["status"] in ("pending", "running"):
        assert time.monotonic() < deadline, "the nap did not end"
        time.sleep(0.1)
    assert get(server, alice, f"/api/v1/jobs/{running}").json()["status"] == "completed"  # bob did not cancel it


def test_another_users_token_cannot_be_revoked(server, alice, bob):
    made = alice.post(server.url("/api/v1/auth/tokens"), json={"name": "ci", "scopes": ["read"]},
                      timeout=HTTP_TIMEOUT).json()
    assert_refused(bob.delete(server.url(f"/api/v1/auth/tokens/{made['id']}"), timeout=HTTP_TIMEOUT), 404,
                   "token-not-found")
    assert made["id"] not in get(server, bob, "/api/v1/auth/tokens").text
    assert server.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {made['token']}"}).status_code == 200


def changes_by(server, client, package):
    """bob's attempts to change alice's package: visibility, yank, a new version."""
    return [
        client.patch(server.url(f"/api/v1/packages/{package['id']}"), json={"visibility": "private"},
                     timeout=HTTP_TIMEOUT),
        client.patch(server.url(f"/api/v1/packages/{package['id']}/versions/1.0.0"), json={"yanked": True},
                     timeout=HTTP_TIMEOUT),
        deploy_with(server, client, calc_archive(version="2.0.0"), package_id=package["id"]),
    ]


def assert_unchanged(server, alice, package, visibility):
    now = get(server, alice, f"/api/v1/packages/{package['id']}").json()
    assert now["visibility"] == visibility
    assert [(v["version"], v["yanked"]) for v in now["versions"]] == [("1.0.0", False)]


@pytest.mark.deadline(120)
def test_another_users_package_is_not_found_while_private_and_read_only_otherwise(server, alice, bob, calc):
    for r in changes_by(server, bob, calc):
        assert_refused(r, 404, "package-not-found")
    assert_unchanged(server, alice, calc, "private")
    for visibility in ("internal", "public"):
        r = alice.patch(server.url(f"/api/v1/packages/{calc['id']}"), json={"visibility": visibility},
                        timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, r.text
        assert get(server, bob, f"/api/v1/packages/{calc['id']}").status_code == 200
        for r in changes_by(server, bob, calc):
            assert_refused(r, 403, "permission-denied")
        assert_unchanged(server, alice, calc, visibility)
