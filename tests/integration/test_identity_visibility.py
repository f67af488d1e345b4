"""Package visibility as each kind of caller sees it: private (the owner only),
internal (every signed-in user for a user's package; the members only for an
organisation's), public (anonymous readers too, but running needs a signed-in
caller). Running alice's public function as bob works, and the job is bob's."""
import pytest
import requests

from identity_support import assert_refused, calc_archive, create_user, deploy_with, execute_with, session_of
from packages_support import sandbox_args
from support import HTTP_TIMEOUT


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start(*sandbox_args(), "--max-sync-wait", "20s")


@pytest.fixture(scope="module")
def people(server):
    """Signed-in sessions of alice (owner), bob (another user) and carol (a member of
    alice's organisation), and an anonymous client."""
    sessions = {}
    for name in ("alice", "bob", "carol"):
        create_user(server, name)
        sessions[name] = session_of(server, name)
    assert sessions["alice"].post(server.url("/api/v1/organisations"), json={"id": "lab"},
                                  timeout=HTTP_TIMEOUT).status_code == 201
    assert sessions["alice"].put(server.url("/api/v1/organisations/lab/members/carol"), json={"role": "user"},
                                 timeout=HTTP_TIMEOUT).status_code == 200
    sessions["anonymous"] = requests.Session()
    return sessions


@pytest.fixture(scope="module")
def packages(server, people):
    """alice's own package and one of her organisation's."""
    own = deploy_with(server, people["alice"], calc_archive(name="mine"))
    assert own.status_code == 201, own.text
    lab = deploy_with(server, people["alice"], calc_archive(name="shared"), owner="lab")
    assert lab.status_code == 201, lab.text
    return {"own": own.json()["package"], "lab": lab.json()["package"]}


def set_visibility(server, people, package, visibility):
    r = people["alice"].patch(server.url(f"/api/v1/packages/{package['id']}"), json={"visibility": visibility},
                              timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.json()["visibility"] == visibility, r.text


def sees(server, client, package):
    """Whether `client` sees `package`: its page, its functions, and in the list; the
    three must agree."""
    paths = [f"/api/v1/packages/{package['id']}", f"/api/v1/packages/{package['id']}/functions",
             f"/api/v1/packages/{package['id']}/functions/area"]
    codes = {client.get(server.url(p), timeout=HTTP_TIMEOUT).status_code for p in paths}
    listed = client.get(server.url("/api/v1/packages"), params={"per_page": 100}, timeout=HTTP_TIMEOUT).json()
    in_list = package["id"] in [p["id"] for p in listed["items"]]
    assert codes in ({200}, {404}), codes
    assert (codes == {200}) == in_list, (codes, in_list)
    return in_list


EXPECTED = {
    # visibility: who sees alice's own package, who sees the organisation's
    "private": ({"alice"}, {"alice", "carol"}),
    "internal": ({"alice", "bob", "carol"}, {"alice", "carol"}),
    "public": ({"alice", "bob", "carol", "anonymous"}, {"alice", "bob", "carol", "anonymous"}),
}


@pytest.mark.parametrize("visibility", EXPECTED)
def test_who_sees_a_package(server, people, packages, visibility):
    for which, expected in zip(("own", "lab"), EXPECTED[visibility]):
        set_visibility(server, people, packages[which], visibility)
        seen_by = {name for name, client in people.items() if sees(server, client, packages[which])}
        assert seen_by == expected, (which, visibility)


@pytest.mark.deadline(120)
def test_a_public_function_runs_for_any_signed_in_user_and_the_job_is_theirs(server, people, packages):
    own = packages["own"]
    set_visibility(server, people, own, "public")
    refused = execute_with(server, people["anonymous"], own["id"], "area", {"d": {"value": 2, "unit": "mm"}})
    assert_refused(refused, 401, "authentication-required")

    r = execute_with(server, people["bob"], own["id"], "area", {"d": {"value": 2, "unit": "mm"}})
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text
    job = r.json()["job_id"]
    bobs = people["bob"].get(server.url("/api/v1/jobs"), timeout=HTTP_TIMEOUT).json()
    assert [j["job_id"] for j in bobs["items"]] == [job]
    assert_refused(people["alice"].get(server.url(f"/api/v1/jobs/{job}"), timeout=HTTP_TIMEOUT), 404,
                   "job-not-found")
    assert job not in people["alice"].get(server.url("/api/v1/jobs"), timeout=HTTP_TIMEOUT).text

    # Private again: bob can no longer run it.
    set_visibility(server, people, own, "private")
    r = execute_with(server, people["bob"], own["id"], "area", {"d": {"value": 2, "unit": "mm"}})
    assert_refused(r, 404, "package-not-found")
