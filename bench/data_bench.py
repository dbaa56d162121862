"""Benchmark `gcmreview build --all` with indicator data against the same reviews without.

The 193 synthetic reviews of bench/synth.py, built twice in the same run: as they
are, and in a copy of the workspace where every State has five indicators over
ten years (2015 to 2024; 16.2.2 broken down by sex too), two of them linked to
objectives by the workspace. The data add a table and a chart under each linked
objective and in "Other indicators", and a part to the regional report.

    python bench/data_bench.py [--formats html,docx] [--repeat 2]

Target (issue 22): with data, `build --all --force` <= 1.1x without. The two
builds alternate, in the order ABBA (each runs first as often as second), so machine
noise hits both; the best of each is compared. As the machine's speed drifts from minute
to minute (a build here took 26 to 35 s within one run of this bench), each round's
two builds, run one after the other, are compared too: the median of those ratios does
not depend on one lucky run of either side. Last, one build of each with pandoc's own
statistics: the bytes its processes allocate are the same at every run, so they say what
the data cost pandoc when the times are noise (on POSIX systems: a wrapper script).
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import HERE, ensure_workspace, measure

from gcmreview.convert.pandoc import pandoc_path

INDICATORS = ("10.7.1", "10.c.1", "16.2.2", "17.3.2", "10.7.4")
YEARS = range(2015, 2025)
UNITS = {"10.7.1": "Percent", "10.c.1": "Percent", "16.2.2": "Per 100,000 population",
         "17.3.2": "Percent", "10.7.4": "Per 100,000 population"}


def with_data(ws: Path, target: Path) -> Path:
    """A copy of the workspace with five indicators over ten years for every State."""
    if (target / "data").is_dir():
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ws / "countries", target / "countries")
    config = (ws / "gcmreview.yaml").read_text(encoding="utf-8")
    (target / "gcmreview.yaml").write_text(
        config + "indicators:\n  10: [\"16.2.2\"]\n  19: [\"17.3.2\"]\n", encoding="utf-8")
    rng = random.Random(22)
    for review in sorted((ws / "countries").glob("*.yaml")):
        folder = target / "data" / review.stem
        folder.mkdir(parents=True)
        for code in INDICATORS:
            unit = UNITS[code]
            quoted = f'"{unit}"' if "," in unit else unit
            lines = ["Year,Sex,Units,Value,Source" if code == "16.2.2"
                     else "Year,Units,Value,Source"]
            level = rng.uniform(1, 20)
            for year in YEARS:
                level = max(0.1, level * rng.uniform(0.85, 1.1))
                if code == "16.2.2":
                    lines += [f"{year},,{quoted},{level:.1f},Synthetic bench data",
                              f"{year},Female,{quoted},{level * 1.3:.1f},Synthetic bench data",
                              f"{year},Male,{quoted},{level * 0.7:.1f},Synthetic bench data"]
                else:
                    lines.append(f"{year},{quoted},{level:.2f},Synthetic bench data")
            (folder / (code.replace(".", "-") + ".csv")).write_text(
                "\n".join(lines) + "\n", encoding="utf-8")
    return target


def pandoc_work(ws: Path, out: Path, formats: str) -> dict[str, float]:
    """pandoc's own account of one build's work: the bytes its processes allocated and
    their CPU, summed from GHC's statistics (`+RTS -t --machine-readable`). The bytes
    allocated are the same from run to run, whatever else the machine does: they tell
    what the data cost pandoc when the times are noise."""
    with tempfile.TemporaryDirectory() as scratch:
        wrapper = Path(scratch) / "pandoc"
        wrapper.write_text(f'#!/bin/sh\nexec "{pandoc_path()}" "$@" '
                           f'+RTS -t{scratch}/stats-$$.txt --machine-readable -RTS\n',
                           encoding="utf-8")
        wrapper.chmod(0o755)
        subprocess.run([sys.executable, "-m", "gcmreview", "build", "--all", "--force",
                        "--format", formats, "--out", str(out), "--quiet"], cwd=ws, check=True,
                       stderr=subprocess.DEVNULL,
                       env={**os.environ, "GCMREVIEW_PANDOC": str(wrapper)})
        total = {"bytes allocated": 0.0, "total_cpu_seconds": 0.0}
        for stats in Path(scratch).glob("stats-*.txt"):
            text = stats.read_text(encoding="utf-8")
            for key, value in ast.literal_eval(text[text.index("["):]):
                if key in total:
                    total[key] += float(value)
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--formats", default="html,docx")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    plain = ensure_workspace()
    data = with_data(plain, HERE / "out" / "ws-data")
    out = HERE / "out"
    runs: dict[str, list[dict[str, float]]] = {"without": [], "with": []}
    pair = (("without", plain), ("with", data))
    for round_ in range(args.repeat):
        # ABBA: the second build of a pair may run on a warmer (or busier) machine.
        for name, ws in (pair if round_ % 2 == 0 else pair[::-1]):
            command = [sys.executable, "-m", "gcmreview", "build", "--all", "--force",
                       "--format", args.formats, "--out", str(out / f"build-{name}"), "--quiet"]
            runs[name].append(measure(command, ws, repeat=1))
    best = {name: min(r["seconds"] for r in found) for name, found in runs.items()}
    peak = {name: max(r["peak_mb"] for r in found) for name, found in runs.items()}
    codes = {name: found[-1]["code"] for name, found in runs.items()}
    files = len(list((data / "data").rglob("*.csv")))
    print(f"build --all --force --format {args.formats}: 193 reviews, best of {args.repeat}")
    print(f"  without data:                           {best['without']:7.2f} s, "
          f"largest process {peak['without']:.0f} MB, exit {codes['without']:.0f}")
    print(f"  with data ({files} files, 5 x 10 years): {best['with']:7.2f} s, "
          f"largest process {peak['with']:.0f} MB, exit {codes['with']:.0f}")
    print(f"  ratio: {best['with'] / best['without']:.3f}x (target <= 1.1x)")
    cpu = {name: min(r["cpu"] for r in found) for name, found in runs.items()}
    print(f"  CPU (all processes, best): {cpu['without']:.1f} s without, {cpu['with']:.1f} s "
          f"with: {cpu['with'] / cpu['without']:.3f}x")
    for name, found in runs.items():
        print(f"  every run {name}: " + ", ".join(f"{r['seconds']:.2f}" for r in found))
    pairs = [w["seconds"] / wo["seconds"] for w, wo in zip(runs["with"], runs["without"],
                                                          strict=True)]
    print(f"  round by round: {', '.join(f'{r:.3f}x' for r in pairs)}; "
          f"median {statistics.median(pairs):.3f}x")
    if os.name == "posix":
        work = {name: pandoc_work(ws, out / f"build-{name}", args.formats) for name, ws in pair}
        gb = {name: w["bytes allocated"] / 1e9 for name, w in work.items()}
        print(f"  pandoc allocated {gb['without']:.2f} GB without, {gb['with']:.2f} GB with: "
              f"{gb['with'] / gb['without']:.3f}x (the same at every run); its CPU "
              + ", ".join(f"{w['total_cpu_seconds']:.1f} s {name}"
                          for name, w in work.items()))


if __name__ == "__main__":
    main()
