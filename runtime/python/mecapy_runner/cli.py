"""The command line of the runner: MODE [--workspace DIR] [--src DIR] [mode options].

Exit status: 0 when the mode wrote its result file (for `run`, also when the user's
function raised: error.json says so); 2 for a usage or contract error, with the
message on stderr and no result file; 1 only if the runner itself fails (a bug: the
traceback goes to stderr).
"""
import argparse
import importlib
import sys

from mecapy_runner.contract import ContractError, Workspace

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits with 2 too; this keeps the message on one line
        self.exit(USAGE_ERROR, f"mecapy_runner: {message}\n")


def _parser():
    parser = _Parser(prog="mecapy_runner", description="Runs MecaPy functions inside the sandbox.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", default="/workspace", help="the job's directory (default /workspace)")
    common.add_argument("--src", default=None, help="the package sources (default <workspace>/src)")
    modes = parser.add_subparsers(dest="mode", required=True, parser_class=_Parser)
    run = modes.add_parser("run", parents=[common], help="run one job")
    run.add_argument("--handler", required=True, help="module.path:function")
    introspection = modes.add_parser("introspect", parents=[common], help="describe functions from their code")
    introspection.add_argument("--handlers", required=True, help='JSON {"name": "module:function", ...}')
    modes.add_parser("scan", parents=[common], help="find what cannot work in the sandbox")
    modes.add_parser("testcases", parents=[common], help="run the package's test cases")
    return parser


# Each mode's module is imported only when that mode runs: a job does not pay for
# the imports of introspection or the source scan.
_MODULES = {"run": "job", "introspect": "introspect", "scan": "scan", "testcases": "testcases"}


def _dispatch(arguments):
    workspace = Workspace(arguments.workspace, arguments.src)
    module = importlib.import_module("mecapy_runner." + _MODULES[arguments.mode])
    if arguments.mode == "run":
        return module.run(workspace, arguments.handler)
    if arguments.mode == "introspect":
        return module.run(workspace, arguments.handlers)
    return module.run(workspace)


def main(argv):
    arguments = _parser().parse_args(argv)
    try:
        return _dispatch(arguments)
    except ContractError as error:
        sys.stderr.write(f"mecapy_runner {arguments.mode}: {error}\n")
        return USAGE_ERROR
