"""Benchmark `gcmreview validate` over 193 synthetic reviews against the floor.

The floor is parsing the same files with libyaml's CSafeLoader alone, in one
Python process. Both are timed as whole processes (interpreter start included),
best of three. Target (issue 2): at most 1.5x the floor, peak memory < 200 MB.

    python bench/validate_bench.py
"""

from __future__ import annotations

import sys

from common import ensure_workspace, measure

FLOOR = """
import glob, yaml
for name in sorted(glob.glob("countries/*.yaml")):
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def main() -> None:
    ws = ensure_workspace()
    floor = measure([sys.executable, "-c", FLOOR], ws)
    ours = measure([sys.executable, "-m", "gcmreview", "validate", "--format", "json"], ws)
    if ours["code"] != 0:
        raise SystemExit(f"validate exited {ours['code']} on the synthetic workspace")
    ratio = ours["seconds"] / floor["seconds"]
    print(f"floor (CSafeLoader parse only): {floor['seconds']:.2f} s")
    print(f"gcmreview validate:             {ours['seconds']:.2f} s, "
          f"peak {ours['peak_mb']:.0f} MB")
    print(f"ratio: {ratio:.2f}x the floor (target <= 1.5x); "
          f"memory {'OK' if ours['peak_mb'] < 200 else 'OVER'} (target < 200 MB)")


if __name__ == "__main__":
    main()
