"""Starts dbt before its run is known: a "spare" dbt process for the server's next build.

Importing dbt takes ~3.5 s of CPU on these machines (its dataclass schemas are built at import),
which every `dbt build` paid before doing any work. The server starts this launcher ahead of
time; it imports dbt, then blocks on stdin until the run's request arrives (one JSON line:
{"args": [...], "cwd": "...", "env": {...}}), applies the run's environment and working
directory and runs dbt's own command-line entry point exactly once, so the run behaves like
`dbt <args>` in a fresh process — dbt's exit code, stdout and stderr are unchanged. Once dbt is
imported it writes "ready" to file descriptor 3 when the server opened one (stdout is dbt's log).
A launcher whose stdin closes without a request (the server stopped or discarded it) exits
quietly.
"""

import json
import os
import sys

from dbt.cli.main import cli


def main() -> int:
    try:
        os.write(3, b"ready\n")
        os.close(3)
    except OSError:
        pass  # started without the control pipe (e.g. by hand)
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    request = json.loads(line)
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    os.chdir(request["cwd"])
    sys.argv = ["dbt", *[str(a) for a in request["args"]]]
    return cli()


if __name__ == "__main__":
    sys.exit(main())
