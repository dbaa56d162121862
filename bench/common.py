"""Helpers shared by the benchmarks: a synthetic workspace and timed subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE / "out" / "ws"

_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(json.loads(sys.argv[1]), cwd=sys.argv[2], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak_kb = usage.ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024, "code": done.returncode,
                  "cpu": usage.ru_utime + usage.ru_stime}))
"""


def ensure_workspace() -> Path:
    if not (WORKSPACE / "gcmreview.yaml").is_file():
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(WORKSPACE)], check=True)
    return WORKSPACE


def measure(argv: list[str], cwd: Path, repeat: int = 3) -> dict[str, float]:
    """Best wall time of `repeat` runs, and the peak RSS of the process tree's largest process.

    Python may write its bytecode: an installed gcmreview has it (pip compiles it), as
    check-jsonschema has; with PYTHONDONTWRITEBYTECODE set, an editable install would
    compile every module at every start (30 ms of a 115 ms `validate`)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps(argv), str(cwd)],
                             check=True, capture_output=True, text=True, env=env).stdout
        runs.append(json.loads(out))
    return {"seconds": min(r["seconds"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs),
            "code": runs[-1]["code"], "cpu": min(r["cpu"] for r in runs)}
