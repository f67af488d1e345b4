"""Mode `scan`: each rule reported at its file:line, without importing or running
anything, and files that do not parse reported instead of crashing the scan."""


def scan(ws):
    process = ws.run("scan")
    assert process.returncode == 0, process.stderr
    return ws.output("scan.json")["warnings"]


def found(warnings):
    return [(warning["file"], warning["line"], warning["rule"]) for warning in warnings]


def test_network_imports(ws):
    ws.source("net.py", """\
        import socket
        import urllib.request
        from urllib import request
        from http import client
        import requests.adapters
        import ssl as secure
        from aiohttp import ClientSession
        import urllib.parse
        import http
        from . import socket
        import json
    """)
    warnings = scan(ws)
    assert found(warnings) == [("net.py", line, "network") for line in (1, 2, 3, 4, 5, 6, 7)]
    assert "network" in warnings[0]["message"] and "inputs" in warnings[0]["message"]
    assert warnings[1]["col"] == 0


def test_processes_and_helpers(ws):
    ws.source("pkg/proc.py", """\
        import os
        import os as system_module
        import subprocess
        from subprocess import run
        import pty
        import multiprocessing.pool
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
        from os import system

        def work(name):
            os.system("ls")
            os.popen("ls")
            os.execv("/bin/ls", ["ls"])
            os.spawnl(os.P_WAIT, "/bin/ls")
            system_module.fork()
            os.path.join("a", name)
            os.getcwd()
    """)
    warnings = scan(ws)
    assert found(warnings) == [
        ("pkg/proc.py", 3, "subprocess"), ("pkg/proc.py", 4, "subprocess"), ("pkg/proc.py", 5, "subprocess"),
        ("pkg/proc.py", 6, "multiprocessing"), ("pkg/proc.py", 7, "multiprocessing"),
        ("pkg/proc.py", 8, "subprocess"), ("pkg/proc.py", 11, "subprocess"), ("pkg/proc.py", 12, "subprocess"),
        ("pkg/proc.py", 13, "subprocess"), ("pkg/proc.py", 14, "subprocess"), ("pkg/proc.py", 15, "subprocess"),
    ]
    by_line = {warning["line"]: warning for warning in warnings}
    assert "process limit" in by_line[6]["message"]
    assert "os.system" in by_line[11]["message"]
    assert by_line[11]["col"] == 4


def test_dynamic_code_only_when_not_literal(ws):
    ws.source("dyn.py", """\
        def run(expression, tree):
            eval("1 + 2")
            eval(expression)
            exec(compile(tree, "<x>", "exec"))
            compile("x = 1", "<x>", "exec")
            exec("x = {'a': [1, 2]}")
            exec(f"x = {expression}")
    """)
    assert found(scan(ws)) == [("dyn.py", 3, "dynamic-code"), ("dyn.py", 4, "dynamic-code"),
                               ("dyn.py", 4, "dynamic-code"), ("dyn.py", 7, "dynamic-code")]


def test_absolute_paths_outside_workspace_and_tmp(ws):
    ws.source("paths.py", """\
        import os
        import pathlib
        from pathlib import Path

        def files(name):
            open("/etc/passwd")
            Path("/home/me/data.csv")
            pathlib.Path("/opt/tables/steel.json")
            os.open("/var/log/x", os.O_RDONLY)
            open("/workspace/in/data.json")
            open("/tmp/scratch.txt", "w")
            Path("/tmp")
            open("/workspacefake/x")
            open("relative.txt")
            open(name)
            print("/etc/passwd")
    """)
    warnings = scan(ws)
    assert found(warnings) == [("paths.py", line, "absolute-path") for line in (6, 7, 8, 9, 13)]
    assert "'/etc/passwd'" in warnings[0]["message"] and "output_dir()" in warnings[0]["message"]


def test_files_that_do_not_parse_are_warnings_with_their_position(ws):
    ws.source("good.py", "import socket\n")
    ws.source("bad.py", "x = 1\ndef f(:\n    pass\n")
    ws.source("tabs.py", "if True:\n        x = 1\n\ty = 2\n")
    (ws.src / "latin.py").write_bytes(b'x = "caf\xe9"\n')  # Latin-1, not UTF-8
    warnings = scan(ws)
    rules = {warning["file"]: warning for warning in warnings}
    assert (rules["bad.py"]["rule"], rules["bad.py"]["line"], rules["bad.py"]["col"]) == ("syntax-error", 2, 6)
    assert rules["tabs.py"]["rule"] == "syntax-error" and rules["tabs.py"]["line"] == 3
    assert rules["latin.py"]["rule"] == "syntax-error"
    assert (rules["good.py"]["rule"], rules["good.py"]["line"]) == ("network", 1)


def test_scan_imports_and_runs_nothing(ws, tmp_path):
    marker = tmp_path / "ran"
    ws.source("trap.py", f"""\
        open({str(marker)!r}, "w").write("the scan ran the module")
        import socket
        raise SystemExit(7)
    """)
    assert found(scan(ws)) == [("trap.py", 2, "network")]
    assert not marker.exists()


def test_hidden_and_cache_directories_and_other_files_are_skipped(ws):
    ws.source(".venv/lib.py", "import socket\n")
    ws.source("__pycache__/x.py", "import socket\n")
    ws.source("notes.txt", "import socket\n")
    ws.source("clean.py", "import math\n")
    assert scan(ws) == []


def test_a_missing_src_exits_2(ws, tmp_path):
    process = ws.run("scan", src=tmp_path / "absent")
    assert process.returncode == 2
    assert "--src" in process.stderr
