"""One call of a user function, as both `run` and `testcases` make it.

The function gets its inputs as keyword arguments, file inputs as pathlib.Path
objects, and a fresh output directory (created before the call, announced in
MECAPY_OUTPUT_DIR, where mecapy_runner.output_dir() reads it) and progress file.
The result is either the outputs object (values.py) or an error object
(failures.py); any exception of the user's code, including SystemExit, is an error
of the call, never of the runner.
"""
import os
import time

from mecapy_runner import OUTPUT_DIR_ENV, PROGRESS_FILE_ENV
from mecapy_runner import failures, handlers, values


class CallResult:
    def __init__(self, outputs=None, error=None, exception=None, seconds=0.0):
        self.outputs = outputs  # the outputs object, or None when the call failed
        self.error = error  # {"type", "message", "traceback"}, or None
        self.exception = exception  # the exception user code raised, if any
        self.seconds = seconds  # how long the import and the call took


def call(handler, inputs, output_files_dir, progress_file):
    """Imports `handler`, calls it with `inputs` and converts what it returns."""
    output_files_dir.mkdir(parents=True, exist_ok=True)
    os.environ[OUTPUT_DIR_ENV] = str(output_files_dir)
    os.environ[PROGRESS_FILE_ENV] = str(progress_file)
    started = time.perf_counter()
    try:
        function = handlers.load(handler)
        returned = function(**inputs)
    except handlers.HandlerError as error:
        return CallResult(error=failures.runner_error("HandlerError", str(error)), seconds=_since(started))
    except BaseException as error:  # noqa: B902  user code may raise anything, SystemExit included
        return CallResult(error=failures.describe(error), exception=error, seconds=_since(started))
    seconds = _since(started)
    try:
        outputs = values.outputs_object(returned, output_files_dir)
    except values.OutputError as error:
        return CallResult(error=failures.runner_error("OutputError", str(error)), seconds=seconds)
    return CallResult(outputs=outputs, seconds=seconds)


def _since(started):
    return time.perf_counter() - started
