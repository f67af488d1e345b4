"""Mode `run`: one job of one function.

Reads in/data.json (the inputs object, already validated and converted by the
server) and in/files/<var>.<ext> (each file input, passed as a pathlib.Path under the
name before the first dot; it replaces a value of that name in data.json), calls
the handler, then writes exactly one of out/data.json (the outputs object) or
out/error.json ({type, message, traceback}).
Progress lines go to out/progress.jsonl, output files to out/files/.

A function that raises is a finished job (exit status 0, error.json says why); a
missing or malformed input file, a bad handler text or two files for one input are
ContractErrors (exit status 2). The runner prints nothing to stdout here: the user's
own output is all there is.
"""
import sys

from mecapy_runner import handlers, invoke
from mecapy_runner.contract import ContractError, read_json, write_json_atomic


def file_inputs(directory):
    """{var: Path} of the files in `directory` (none when it does not exist)."""
    found = {}
    if not directory.is_dir():
        return found
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith(".") or not entry.is_file():
            continue
        var = entry.name.split(".", 1)[0]
        if var in found:
            raise ContractError(f"two files for input '{var}': {found[var].name} and {entry.name}")
        found[var] = entry
    return found


def read_inputs(workspace):
    inputs = read_json(workspace.in_dir / "data.json", "the inputs file in/data.json")
    if not isinstance(inputs, dict):
        raise ContractError("in/data.json must hold a JSON object of inputs")
    inputs.update(file_inputs(workspace.input_files_dir))
    return inputs


def run(workspace, handler):
    # Line by line, so that the server shows the output while the job runs (a pipe
    # would otherwise hold it until the buffer fills or the process ends).
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)
    if handlers.parse(handler) is None:
        raise ContractError(f"--handler must be 'package.module:function', not {handler!r}")
    inputs = read_inputs(workspace)
    handlers.use_sources(workspace.src)
    result = invoke.call(handler, inputs, workspace.output_files_dir, workspace.out_dir / "progress.jsonl")
    if result.error is not None:
        write_json_atomic(workspace.out_dir / "error.json", result.error)
    else:
        write_json_atomic(workspace.out_dir / "data.json", result.outputs)
    return 0
