"""Benchmark `gcmreview validate` against its floors, measured in the same run.

- 193 synthetic reviews: the floor is parsing the same files with libyaml's
  CSafeLoader alone, in one Python process (target: <= 1.3x).
- One review (the example's MA.yaml): wall time of the whole command (target:
  <= 0.15 s), and check-jsonschema on the same file against the same schema
  (`gcmreview schema`), which checks far less (target: under half its time).

Both sides are whole processes, interpreter start included; best of N runs.

    python bench/validate_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from common import ensure_workspace, measure

ROOT = Path(__file__).resolve().parent.parent
FLOOR = """
import glob, yaml
for name in sorted(glob.glob("countries/*.yaml")):
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def main() -> None:
    ws = ensure_workspace()
    floor = measure([sys.executable, "-c", FLOOR], ws, repeat=5)
    ours = measure([sys.executable, "-m", "gcmreview", "validate", "--format", "json"], ws,
                   repeat=5)
    if ours["code"] != 0:
        raise SystemExit(f"validate exited {ours['code']} on the synthetic workspace")
    print("validate, 193 reviews:")
    print(f"  floor (CSafeLoader parse only): {floor['seconds']:.2f} s")
    print(f"  gcmreview validate:             {ours['seconds']:.2f} s, "
          f"peak {ours['peak_mb']:.0f} MB")
    print(f"  ratio: {ours['seconds'] / floor['seconds']:.2f}x the floor (target <= 1.3x)")

    schema = Path(tempfile.mkdtemp()) / "review.schema.json"
    subprocess.run([sys.executable, "-m", "gcmreview", "schema", "-o", str(schema)], cwd=ROOT,
                   check=True)
    checker = Path(sys.executable).with_name("check-jsonschema")
    one = measure([sys.executable, "-m", "gcmreview", "validate", "countries/MA.yaml"], ROOT,
                  repeat=15)
    other = measure([str(checker), "--schemafile", str(schema), "countries/MA.yaml"], ROOT,
                    repeat=15)
    print("validate, one review (countries/MA.yaml):")
    print(f"  gcmreview validate: {one['seconds'] * 1000:.0f} ms (target <= 150 ms)")
    print(f"  check-jsonschema:   {other['seconds'] * 1000:.0f} ms (schema only)")
    print(f"  ratio: {one['seconds'] / other['seconds']:.2f}x check-jsonschema (target < 0.5x)")


if __name__ == "__main__":
    main()
