"""What goes wrong, as exceptions: invalid inputs with a problem per input, a function
that raised (with its remote traceback), credentials refused, values that cannot be
sent."""
import socket

import pytest

import mecapy


def test_invalid_inputs_list_every_problem_per_input(fixtures):
    with pytest.raises(mecapy.ValidationError) as caught:
        fixtures.bolt_area(d=(1, "kg"), p=-1)
    error = caught.value
    assert error.status == 422 and error.problem_type.endswith("#invalid-inputs")
    assert [(p.pointer, p.input) for p in error.errors] == [("/d", "d"), ("/p", "p")]
    by_input = error.by_input()
    assert "'kg' is a mass" in by_input["d"][0]
    assert by_input["p"] == ["must be at least 0"]
    assert "/d:" in str(error) and "/p: must be at least 0" in str(error)


def test_a_missing_input_is_a_validation_error(fixtures):
    with pytest.raises(mecapy.ValidationError) as caught:
        fixtures.bolt_area(d=10)
    assert caught.value.errors == [mecapy.InputProblem("/p", "is required", "p")]


def test_a_failed_function_raises_with_the_remote_traceback(fixtures):
    with pytest.raises(mecapy.ExecutionError) as caught:
        fixtures.fail.with_options(no_cache=True)(message="bolt too short")
    error = caught.value
    assert error.status == "failed"
    assert error.error_type == "ValueError" and error.error_message == "bolt too short"
    assert "raise ValueError(message)" in error.traceback
    assert error.traceback.rstrip().endswith("ValueError: bolt too short")
    assert "Remote traceback:" in str(error) and "fixtures/basic.py" in str(error)
    assert error.job.error["type"] == "ValueError"


def test_a_bad_token_is_an_authentication_error(server):
    client = mecapy.MecaPyClient(server.base_url, mecapy.Token("mcp_" + "x" * 43))
    with pytest.raises(mecapy.AuthenticationError) as caught:
        client.whoami()
    assert caught.value.status == 401 and caught.value.problem_type.endswith("#invalid-token")


def test_anonymous_callers_may_load_a_public_package_but_not_run_it(server):
    anonymous = mecapy.MecaPyClient(server.base_url)
    fixtures = anonymous.load("admin/fixtures")
    with pytest.raises(mecapy.AuthenticationError) as caught:
        fixtures.noop()
    assert caught.value.status == 401


def test_a_server_that_does_not_answer_is_a_server_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        client = mecapy.MecaPyClient(f"http://127.0.0.1:{port}", timeout=5)
        with pytest.raises(mecapy.ServerError) as caught:
            client.whoami()
    assert caught.value.status is None


def test_values_json_cannot_hold_are_refused_before_sending(fixtures):
    with pytest.raises(ValueError, match="finite"):
        fixtures.scale(force=float("nan"), factor=1.0)
    with pytest.raises(TypeError, match="object is not a value"):
        fixtures.scale(force=object(), factor=1.0)


def test_a_function_past_its_time_limit_raises(fixtures):
    with pytest.raises(mecapy.ExecutionError) as caught:
        fixtures.sleep.with_options(no_cache=True, timeout_s=1)(seconds=30)
    assert caught.value.status == "timeout"
    assert caught.value.job.data["inputs"] == {"seconds": 30.0}


def test_unknown_versions_and_jobs_are_not_found(client, fixtures):
    with pytest.raises(mecapy.NotFoundError) as caught:
        fixtures.noop.with_options(version="9.9.9")()
    assert caught.value.problem_type.endswith("#version-not-found")
    with pytest.raises(mecapy.NotFoundError):
        client.job("00000000-0000-0000-0000-000000000000")
