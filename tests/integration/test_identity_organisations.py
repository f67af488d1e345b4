"""Organisations: the creator is their first admin, admins add members, members deploy
into the organisation with ?owner=, a non-member cannot (404, nothing created), a
member who is not an admin cannot change the members (403), the last admin can neither
leave nor be demoted (409), and each user lists the organisations they belong to."""
import pytest

from identity_support import assert_refused, calc_archive, census, create_user, deploy_with, session_of
from packages_support import sandbox_args
from support import HTTP_TIMEOUT


@pytest.fixture(scope="module")
def server(module_servers):
    return module_servers.start(*sandbox_args())


@pytest.fixture(scope="module")
def people(server):
    sessions = {}
    for name in ("olga", "pete", "quin"):
        create_user(server, name)
        sessions[name] = session_of(server, name)
    return sessions


@pytest.fixture(scope="module")
def acme(server, people):
    r = people["olga"].post(server.url("/api/v1/organisations"), json={"id": "acme", "display_name": "Acme Ltd"},
                            timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    assert people["olga"].put(server.url("/api/v1/organisations/acme/members/pete"), json={"role": "user"},
                              timeout=HTTP_TIMEOUT).status_code == 200
    return r.json()


def members(server, client, org="acme"):
    r = client.get(server.url(f"/api/v1/organisations/{org}/members"), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return {m["user"]: m["role"] for m in r.json()["items"]}


def test_the_creator_is_the_first_admin(server, people, acme):
    assert acme["id"] == "acme" and acme["display_name"] == "Acme Ltd" and acme["created_by"] == "olga"
    org = people["olga"].get(server.url("/api/v1/organisations/acme"), timeout=HTTP_TIMEOUT).json()
    assert org["your_role"] == "admin"
    assert members(server, people["olga"]) == {"olga": "admin", "pete": "user"}
    assert_refused(people["quin"].post(server.url("/api/v1/organisations"), json={"id": "acme"},
                                       timeout=HTTP_TIMEOUT), 409, "handle-taken")
    # A user's handle is taken as well: one namespace.
    assert_refused(people["quin"].post(server.url("/api/v1/organisations"), json={"id": "olga"},
                                       timeout=HTTP_TIMEOUT), 409, "handle-taken")


def test_each_user_lists_their_organisations(server, people, acme):
    def listed(name):
        return [(o["organisation"], o["role"]) for o in
                people[name].get(server.url("/api/v1/organisations"), timeout=HTTP_TIMEOUT).json()["items"]]

    assert listed("olga") == [("acme", "admin")]
    assert listed("pete") == [("acme", "user")]
    assert listed("quin") == []
    assert_refused(people["quin"].get(server.url("/api/v1/organisations/acme"), timeout=HTTP_TIMEOUT), 404,
                   "organisation-not-found")
    assert_refused(people["quin"].get(server.url("/api/v1/organisations/acme/members"), timeout=HTTP_TIMEOUT),
                   404, "organisation-not-found")


@pytest.mark.deadline(120)
def test_members_deploy_into_the_organisation_and_others_cannot(server, people, acme):
    r = deploy_with(server, people["pete"], calc_archive(name="tools"), owner="acme")
    assert r.status_code == 201, r.text
    package = r.json()["package"]
    assert package["owner"] == "acme" and package["full_name"] == "acme/tools"
    # Another member may publish its next version; it stays the organisation's.
    r = deploy_with(server, people["olga"], calc_archive(name="tools", version="1.1.0"), package_id=package["id"])
    assert r.status_code == 201, r.text

    before = census(server)
    r = deploy_with(server, people["quin"], calc_archive(name="intrusion"), owner="acme")
    assert_refused(r, 404, "organisation-not-found")
    r = deploy_with(server, people["quin"], calc_archive(name="tools", version="9.0.0"), package_id=package["id"])
    assert_refused(r, 404, "package-not-found")  # private: not even seen
    assert census(server) == before


def test_a_member_who_is_no_admin_cannot_change_the_members(server, people, acme):
    pete = people["pete"]
    assert_refused(pete.put(server.url("/api/v1/organisations/acme/members/quin"), json={"role": "admin"},
                            timeout=HTTP_TIMEOUT), 403, "permission-denied")
    assert_refused(pete.put(server.url("/api/v1/organisations/acme/members/pete"), json={"role": "admin"},
                            timeout=HTTP_TIMEOUT), 403, "permission-denied")
    assert_refused(pete.delete(server.url("/api/v1/organisations/acme/members/olga"), timeout=HTTP_TIMEOUT), 403,
                   "permission-denied")
    assert_refused(people["quin"].put(server.url("/api/v1/organisations/acme/members/quin"), json={"role": "user"},
                                      timeout=HTTP_TIMEOUT), 404, "organisation-not-found")
    assert members(server, people["olga"]) == {"olga": "admin", "pete": "user"}


def test_the_last_admin_can_neither_leave_nor_be_demoted(server, people, acme):
    olga = people["olga"]
    assert_refused(olga.delete(server.url("/api/v1/organisations/acme/members/olga"), timeout=HTTP_TIMEOUT), 409,
                   "last-organization-admin")
    assert_refused(olga.put(server.url("/api/v1/organisations/acme/members/olga"), json={"role": "user"},
                            timeout=HTTP_TIMEOUT), 409, "last-organization-admin")
    assert members(server, olga) == {"olga": "admin", "pete": "user"}
    # With a second admin, the first may go.
    assert olga.put(server.url("/api/v1/organisations/acme/members/pete"), json={"role": "admin"},
                    timeout=HTTP_TIMEOUT).status_code == 200
    assert olga.delete(server.url("/api/v1/organisations/acme/members/olga"),
                       timeout=HTTP_TIMEOUT).status_code == 204
    assert members(server, people["pete"]) == {"pete": "admin"}
    assert_refused(olga.get(server.url("/api/v1/organisations/acme"), timeout=HTTP_TIMEOUT), 404,
                   "organisation-not-found")
