"""Review files as they were at a git ref, for `gcmreview coverage --diff REF`.

Reads blobs with `git ls-tree` and `git show REF:path` (no checkout, the working
tree is never touched); gcmreview.validate.run loads and checks them. Every git
failure becomes an InputError naming the folder or the ref: no traceback.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from gcmreview.core.diagnostics import display_path
from gcmreview.core.errors import InputError, os_reason
from gcmreview.core.i18n import _
from gcmreview.load.loader import REVIEW_SUFFIXES


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise InputError(_("git is not installed (or not on PATH)"),
                         hint=_("install git to compare with a git ref")) from exc
    except OSError as exc:
        raise InputError(_("cannot run git: {reason}").format(reason=os_reason(exc))) from exc


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8", errors="replace").strip()


def repository_root(folder: Path) -> Path:
    """The top of the git working tree holding `folder`."""
    result = _git(["rev-parse", "--show-toplevel"], folder)
    if result.returncode != 0:
        raise InputError(_("{folder} is not inside a git repository (git says: "
                           "{said})").format(folder=display_path(folder), said=_stderr(result)),
                         hint=_("comparing with a git ref needs a git clone of the review "
                                "repository"))
    return Path(result.stdout.decode("utf-8").strip())


def resolve(ref: str, root: Path) -> str:
    """The commit a ref names; an unknown ref is an InputError."""
    if not ref or ref.startswith("-"):
        raise InputError(_("“{ref}” is not a git ref").format(ref=ref),
                         hint=_("give a branch, a tag or a commit, for example origin/main"))
    result = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                  root)
    if result.returncode != 0:
        raise InputError(_("git knows no ref “{ref}”").format(ref=ref),
                         hint=_("check the name with `git branch -a`; in CI, fetch the history "
                                "first (actions/checkout with fetch-depth: 0)"))
    return result.stdout.decode("ascii").strip()


def list_reviews(commit: str, folder: str, root: Path) -> list[str]:
    """Paths (relative to the repository root) of the review files in `folder` at `commit`."""
    prefix = f"{folder.rstrip('/')}/" if folder not in ("", ".") else ""
    result = _git(["ls-tree", "-z", commit, "--", prefix or "."], root)
    if result.returncode != 0:
        raise InputError(_("cannot list {folder} at {commit}: {said}").format(
            folder=prefix or ".", commit=commit[:12], said=_stderr(result)))
    names = []
    for entry in result.stdout.decode("utf-8", errors="replace").split("\0"):
        meta, _tab, name = entry.partition("\t")  # "<mode> <type> <object>\t<path>"
        if meta.split(" ")[1:2] == ["blob"] and name.endswith(REVIEW_SUFFIXES):
            names.append(name)
    return sorted(names)


def read_blob(commit: str, path: str, root: Path) -> bytes:
    result = _git(["show", f"{commit}:{path}"], root)
    if result.returncode != 0:
        raise InputError(_("cannot read {path} at {commit}: {said}").format(
            path=path, commit=commit[:12], said=_stderr(result)))
    return result.stdout


def blobs_at(ref: str, countries_dir: Path) -> tuple[str, list[tuple[str, bytes]]]:
    """The commit `ref` names, and the review files of `countries_dir` at it, each
    named in git's own REF:path notation (its stem is still the country code).

    A folder that did not exist at the ref gives no files, not an error: the
    first pull request of a new workspace compares with nothing.
    """
    anchor = next(p for p in (countries_dir, *countries_dir.resolve().parents) if p.is_dir())
    root = repository_root(anchor)
    commit = resolve(ref, root)
    try:
        folder = countries_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise InputError(_("{folder} is not inside the git repository {root}").format(
            folder=display_path(countries_dir), root=display_path(root))) from exc
    return commit, [(f"{ref}:{path}", read_blob(commit, path, root))
                    for path in list_reviews(commit, folder, root)]


def file_at(ref: str, path: Path) -> bytes | None:
    """A file of the working tree (`path`) as it was at `ref`: None when it was not there."""
    anchor = next(p for p in (path.parent, *path.parent.resolve().parents) if p.is_dir())
    root = repository_root(anchor)
    commit = resolve(ref, root)
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    listed = _git(["ls-tree", "-z", commit, "--", relative], root)
    if listed.returncode != 0 or not listed.stdout.strip(b"\0"):
        return None
    return read_blob(commit, relative, root)
