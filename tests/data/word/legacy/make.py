"""Make the free-form test reviews: review.<lang>.md -> review.<lang>.docx, with the
pandoc that comes with gcmreview (pypandoc-binary).

    .venv/bin/python tests/data/word/legacy/make.py

The Markdown files are the sources; the .docx files are committed so the tests read
real Word documents. SOURCE_DATE_EPOCH keeps the files the same from run to run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gcmreview.convert.pandoc import pandoc_path

HERE = Path(__file__).resolve().parent


def main() -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1704067200"}  # 2024-01-01
    for source in sorted(HERE.glob("review.*.md")):
        target = source.with_suffix(".docx")
        subprocess.run([str(pandoc_path()), "-f", "markdown", str(source), "-o", str(target)],
                       check=True, env=env)
        print(target.relative_to(HERE.parent.parent.parent.parent))


if __name__ == "__main__":
    main()
