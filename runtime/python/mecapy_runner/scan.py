"""Mode `scan`: what in a package's sources cannot work in the sandbox, found by
reading them with `ast` (nothing is imported, nothing runs).

Writes out/scan.json {"warnings": [{"file", "line", "col", "rule", "message"}]},
sorted by file and position; `file` is relative to --src, `line` 1-based, `col`
0-based (as ast gives them). The rules:

  network          imports of network clients and servers: the sandbox has no network
  subprocess       the subprocess module, pty, os.system / popen / exec* / spawn* / fork
  multiprocessing  multiprocessing and process pools: helpers may hit the process limit
  dynamic-code     eval / exec / compile of a value that is not a literal
  absolute-path    open() / Path() / os.open() of a constant absolute path outside
                   /workspace and /tmp: a job's files are there, and only there can it write
  syntax-error     a file that does not parse (with the error's position)

A scan is advice shown when a package is published: it reports what it can see and
promises nothing about code it cannot (imports by computed names, aliases of
aliases). Messages say what to do instead.
"""
import ast
import os

from mecapy_runner.contract import ContractError, write_json_atomic

NETWORK_MODULES = (
    "socket", "ssl", "socketserver", "http.client", "http.server", "urllib.request", "urllib3", "requests",
    "httpx", "aiohttp", "ftplib", "smtplib", "poplib", "imaplib", "nntplib", "telnetlib", "xmlrpc",
    "paramiko", "websocket", "websockets", "grpc", "pycurl", "boto3", "botocore",
)
_NETWORK_MESSAGE = ("'{name}' needs the network, which the sandbox does not have; pass the data the function needs "
                    "as inputs or input files")
_SUBPROCESS_MESSAGE = ("'{name}' starts other programs, which the sandbox may refuse (process limit, read-only "
                       "image); do the work in Python, with a library imported by the package")
_MULTIPROCESSING_MESSAGE = ("'{name}' starts helper processes, which may hit the sandbox's process limit; compute in "
                            "one process (numpy and threads still use several cores)")
_DYNAMIC_MESSAGE = ("{name}() of a computed value: code that is not in the package cannot be checked or trusted; "
                    "call functions of the package instead")
_PATH_MESSAGE = ("{path!r} is outside /workspace and /tmp, where a job's files are and the only places it can "
                 "write; read inputs from the paths the function receives and write files in "
                 "mecapy_runner.output_dir() or scratch_dir()")

_PROCESS_MODULES = ("subprocess", "pty")
_MULTIPROCESSING_MODULES = ("multiprocessing", "concurrent.futures.process")
_OS_PROCESS_FUNCTIONS = ("system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp")
_OS_PROCESS_PREFIXES = ("exec", "spawn")
_DYNAMIC_BUILTINS = ("eval", "exec", "compile")
_PATH_FUNCTIONS = {"open", "Path", "PurePath", "PosixPath", "os.open", "io.open", "pathlib.Path"}
_ALLOWED_ROOTS = ("/workspace", "/tmp")


def _within(module, prefixes):
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def _dotted(node):
    """'os.system' for the expression os.system, None for anything that is not a dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _is_os_process_function(name):
    return name in _OS_PROCESS_FUNCTIONS or name.startswith(_OS_PROCESS_PREFIXES)


def _outside_sandbox_paths(path):
    return path.startswith("/") and not any(path == root or path.startswith(root + "/") for root in _ALLOWED_ROOTS)


class _Visitor(ast.NodeVisitor):
    def __init__(self, report):
        self.report = report  # report(node, rule, message)
        self.module_aliases = {}  # local name -> module it stands for ("o" -> "os")

    def _imported(self, node, module):
        """Reports an import of `module` that cannot work; True when it did."""
        if _within(module, NETWORK_MODULES):
            self.report(node, "network", _NETWORK_MESSAGE.format(name=module))
        elif _within(module, _PROCESS_MODULES):
            self.report(node, "subprocess", _SUBPROCESS_MESSAGE.format(name=module))
        elif _within(module, _MULTIPROCESSING_MODULES):
            self.report(node, "multiprocessing", _MULTIPROCESSING_MESSAGE.format(name=module))
        else:
            return False
        return True

    def visit_Import(self, node):
        for alias in node.names:
            self._imported(node, alias.name)
            if alias.asname:
                self.module_aliases[alias.asname] = alias.name
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level == 0 and not self._imported(node, module):  # relative imports are the package's own
            for alias in node.names:
                self._imported_name(node, module, alias.name)
        self.generic_visit(node)

    def _imported_name(self, node, module, name):
        if module == "os" and _is_os_process_function(name):
            self.report(node, "subprocess", _SUBPROCESS_MESSAGE.format(name=f"os.{name}"))
        elif module == "concurrent.futures" and name == "ProcessPoolExecutor":
            self.report(node, "multiprocessing", _MULTIPROCESSING_MESSAGE.format(name=f"{module}.{name}"))
        else:
            self._imported(node, f"{module}.{name}")

    def visit_Call(self, node):
        name = _dotted(node.func)
        if name is not None:
            head, _, rest = name.partition(".")
            name = self.module_aliases.get(head, head) + ("." + rest if rest else "")
            self._check_call(node, name)
        self.generic_visit(node)

    def _check_call(self, node, name):
        module, _, function = name.rpartition(".")
        if module == "os" and _is_os_process_function(function):
            self.report(node, "subprocess", _SUBPROCESS_MESSAGE.format(name=name))
        elif name in _DYNAMIC_BUILTINS and node.args and not _is_literal(node.args[0]):
            self.report(node, "dynamic-code", _DYNAMIC_MESSAGE.format(name=name))
        elif (name in _PATH_FUNCTIONS or function in ("Path", "PurePath")) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and _outside_sandbox_paths(first.value):
                self.report(node, "absolute-path", _PATH_MESSAGE.format(path=first.value))


def _is_literal(node):
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False


class _Reporter:
    def __init__(self, relative):
        self.relative = relative
        self.warnings = []

    def __call__(self, node, rule, message):
        self.add(node.lineno, node.col_offset, rule, message)

    def add(self, line, col, rule, message):
        self.warnings.append({"file": self.relative, "line": line, "col": col, "rule": rule, "message": message})


def scan_file(path, relative):
    """The warnings of one source file."""
    reporter = _Reporter(relative)
    try:
        with open(path, "rb") as stream:
            tree = ast.parse(stream.read(), filename=relative)
    except SyntaxError as error:  # includes an undecodable file and bad indentation
        reporter.add(error.lineno or 1, max((error.offset or 1) - 1, 0), "syntax-error",
                     f"the file does not parse: {error.msg}; Python 3.11 must be able to import it")
        return reporter.warnings
    except ValueError as error:  # source holding NUL bytes
        reporter.add(1, 0, "syntax-error", f"the file does not parse: {error}")
        return reporter.warnings
    _Visitor(reporter).visit(tree)
    return reporter.warnings


def python_files(src):
    """Relative paths of the .py files under `src`, sorted; hidden and cache directories skipped."""
    found = []
    for directory, subdirectories, files in os.walk(src):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith(".") and
                                   name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                found.append(os.path.relpath(os.path.join(directory, name), src))
    return found


def run(workspace):
    src = workspace.src
    if not src.is_dir():
        raise ContractError(f"--src is not a directory: {src}")
    warnings = []
    for relative in python_files(src):
        warnings.extend(scan_file(src / relative, relative.replace(os.sep, "/")))
    warnings.sort(key=lambda warning: (warning["file"], warning["line"], warning["col"]))
    write_json_atomic(workspace.out_dir / "scan.json", {"warnings": warnings})
    return 0
