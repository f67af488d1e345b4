"""The file the server runs inside the sandbox:

    /usr/bin/python3 -I -B mecapy_runner.py MODE [options]

Isolated mode (-I) leaves the script's directory off sys.path, so this file puts it
first itself, then hands over to the package of the same name (a package directory
wins over a module of the same name on import). Everything else lives in the package.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mecapy_runner.cli import main  # noqa: E402  (needs the path set above)

sys.exit(main(sys.argv[1:]))
