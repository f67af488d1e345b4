"""`mecapy login`, `logout` and `whoami`, and where the CLI takes its configuration
from: a pasted API token, the built-in account (a token created and stored), the
environment, and a configuration file that others can read (refused)."""
import os
import stat

import requests

from support import ADMIN_PASSWORD, HTTP_TIMEOUT, free_port


def whoami_status(server, token):
    return requests.get(server.url("/api/v1/auth/me"), headers={"Authorization": f"Bearer {token}"},
                        timeout=HTTP_TIMEOUT).status_code


def stored(cli):
    text = cli.config_path.read_text()
    values = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def test_whoami_without_credentials_exits_3(cli):
    done = cli.run("whoami")
    assert done.returncode == 3
    assert "mecapy login" in done.stderr


def test_token_login_stores_the_token_mode_600(cli, server):
    done = cli.run("login", "--token", input=server.token + "\n")
    assert done.returncode == 0, done.stderr
    assert "as admin" in done.stdout
    assert stat.S_IMODE(cli.config_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.config_path.parent.stat().st_mode) == 0o700
    assert stored(cli) == {"api_url": server.base_url, "token": server.token}

    done = cli.run("whoami", api_url=False)  # the URL comes from the file too
    assert done.returncode == 0, done.stderr
    assert "admin" in done.stdout and "api_token" in done.stdout
    done = cli.run("whoami", "--json", api_url=False)
    assert '"username":"admin"' in done.stdout


def test_a_refused_token_is_not_stored(cli):
    done = cli.run("login", "--token", input="mcp_" + "x" * 43 + "\n")
    assert done.returncode == 3
    assert not cli.config_path.exists()


def test_builtin_login_creates_a_token_and_logout_revokes_it(cli, server):
    done = cli.run("login", "--username", "admin", "--password-stdin", "--scopes", "read,run",
                   input=ADMIN_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    values = stored(cli)
    assert values["token"].startswith("mcp_") and values["token_id"]
    assert ADMIN_PASSWORD not in cli.config_path.read_text()
    me = requests.get(server.url("/api/v1/auth/me"), headers={"Authorization": f"Bearer {values['token']}"},
                      timeout=HTTP_TIMEOUT).json()
    assert me["credential"] == "api_token" and sorted(me["scopes"]) == ["read", "run"]

    done = cli.run("logout")
    assert done.returncode == 0, done.stderr
    assert whoami_status(server, values["token"]) == 401  # revoked on the server
    assert "token" not in stored(cli) and stored(cli)["api_url"] == server.base_url
    assert cli.run("whoami").returncode == 3


def test_builtin_login_with_a_wrong_password_exits_3(cli):
    done = cli.run("login", "-u", "admin", "--password-stdin", input="not the password\n")
    assert done.returncode == 3
    assert "invalid-credentials" in done.stderr
    assert not cli.config_path.exists()


def test_logout_of_a_pasted_token_forgets_it_only(signed_in, server):
    done = signed_in.run("logout")
    assert done.returncode == 0, done.stderr
    assert "not revoked" in done.stdout
    assert whoami_status(server, server.token) == 200
    assert signed_in.run("whoami").returncode == 3


def test_the_environment_configures_without_a_file(cli, server):
    done = cli.run("whoami", api_url=False, env={"MECAPY_API_URL": server.base_url, "MECAPY_TOKEN": server.token})
    assert done.returncode == 0, done.stderr
    assert "admin" in done.stdout
    assert not cli.config_path.exists()


def test_a_config_file_others_can_read_is_refused(signed_in):
    for mode in (0o644, 0o640, 0o604, 0o660):
        os.chmod(signed_in.config_path, mode)
        done = signed_in.run("whoami")
        assert done.returncode == 2, (oct(mode), done.stderr)
        assert "chmod 600" in done.stderr
    os.chmod(signed_in.config_path, 0o600)
    assert signed_in.run("whoami").returncode == 0


def test_the_stored_token_is_never_sent_to_another_server(signed_in, servers):
    other = servers.start()
    done = signed_in.run("--api-url", other.base_url, "whoami", api_url=False)
    assert done.returncode == 3  # anonymous there, though the file holds a token
    assert "not signed in" in done.stderr


def test_an_unreachable_server_exits_5(cli, server):
    done = cli.run("whoami", api_url=False,
                   env={"MECAPY_API_URL": f"http://127.0.0.1:{free_port()}", "MECAPY_TOKEN": server.token})
    assert done.returncode == 5
    assert "cannot reach" in done.stderr


def test_usage_errors_exit_2_and_help_has_examples(cli):
    assert cli.run().returncode == 2
    assert cli.run("frobnicate").returncode == 2
    assert cli.run("login", "--token", "--username", "x", input="t\n").returncode == 2
    for command in (["--help"], ["login", "--help"], ["run", "--help"], ["jobs", "logs", "--help"],
                    ["files", "upload", "--help"], ["functions", "show", "--help"]):
        done = cli.run(*command)
        assert done.returncode == 0, command
        assert "Examples:" in done.stdout, command
