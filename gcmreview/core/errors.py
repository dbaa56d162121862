"""Typed errors the library raises and the CLI turns into messages and exit codes.

Findings about review files are not errors: they are `Diagnostic` values. These
exceptions are for what stops a command outright.
"""

from __future__ import annotations


class GcmReviewError(Exception):
    """Base class: carries the exit code the CLI should use."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole (a worker process raises it, the command prints it): message, hint
        and whatever a subclass adds."""
        return _rebuilt, (type(self), self.message, dict(self.__dict__))


def _rebuilt(cls: type[GcmReviewError], message: str, state: dict[str, object]
             ) -> GcmReviewError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class UsageError(GcmReviewError):
    """Bad arguments: an unknown country code, a format we do not write, and so on."""

    exit_code = 2


class InputError(GcmReviewError):
    """A file or folder cannot be read, or the workspace configuration is wrong."""

    exit_code = 2


class DocumentRefused(InputError):
    """A document given to `import` that is not a Word document gcmreview can read safely."""

    exit_code = 2


class TranslationRefused(InputError):
    """A translation file (XLIFF, bilingual Word file) gcmreview cannot read safely, or
    that is not a translation of a review of this workspace: nothing is imported."""

    exit_code = 2


class TemplateError(GcmReviewError):
    """A Jinja template is broken; the message names the template file and line."""

    exit_code = 2


class NothingToCheck(GcmReviewError):
    """A check found no file to check: a CI job must not pass on an empty or mistyped folder."""

    exit_code = 1


class DuplicateReview(GcmReviewError):
    """Two files in the workspace are the review of one State: no report may pick one."""

    exit_code = 1


class ConversionError(GcmReviewError):
    """pandoc or typst failed on a document."""

    exit_code = 1


def os_reason(exc: OSError) -> str:
    """Why a file could not be used, in the interface language: the system's own words
    (`exc.strerror`) are English whatever the user's language."""
    import errno

    from gcmreview.core.i18n import _

    reasons = {
        errno.ENOENT: _("there is no such file or folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ENOTDIR: _("a part of the path is a file, not a folder"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk is read-only"),
        errno.EEXIST: _("it already exists"),
    }
    return reasons.get(exc.errno or 0) or exc.strerror or str(exc)


def cannot_read(shown: str, exc: OSError) -> InputError:
    """The error for a file the command needs and cannot read."""
    from gcmreview.core.i18n import _

    return InputError(_("cannot read {file}: {reason}").format(file=shown,
                                                              reason=os_reason(exc)))
