"""What a document says of itself outside its body: its title page facts, its running
header and footer, its title in the browser and its properties.

One typed value for reports, regional volumes and Word forms, made here from their
models: pandoc's templates read `as_pandoc()`, the DOCX finishing reads the header
and footer. The pipeline only passes it along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from gcmreview import __version__
from gcmreview.core.i18n import Formatter, typeset
from gcmreview.core.languages import direction
from gcmreview.model.apparatus import Masthead
from gcmreview.model.form import FormModel
from gcmreview.model.regional import RegionalModel, Volume
from gcmreview.model.review import ReviewModel, Text
from gcmreview.render.tables import ISOLATES
from gcmreview.render.templates import COLONS

Tagged = str | dict[str, str]
"""Text in the document's language, or {text, lang, dir} for text in another."""


def tagged(text: Text, lang: str) -> Tagged:
    """Text in another language than the document's keeps its own lang and dir; each is
    set by the typography of its language."""
    if text.lang == lang:
        return typeset(text.text, lang)
    return {"text": typeset(text.text, text.lang), "lang": text.lang, "dir": text.dir}


def plain(text: Text, lang: str) -> str:
    """Text for a place that takes no markup (a page title, a running header): one in
    the other direction isolated (LRI/RLI ... PDI), so it keeps its own order."""
    if text.dir == direction(lang):
        return typeset(text.text, text.lang)
    start, end = ISOLATES[text.dir]
    return start + typeset(text.text, text.lang) + end


@dataclass(frozen=True)
class DocumentMeta:
    title: Tagged
    subtitle: str
    pagetitle: str
    """The browser's tab, the PDF's title."""
    lang: str
    toc_title: str
    facts: tuple[tuple[str, Tagged], ...] = ()
    """(label, value) shown on the title page, empty values left out."""
    colon: str = ":"
    compact: str = ""
    """The Compact's name, in the document's language."""
    provenance: str = ""
    """Which tool and file made it: the document's properties, not its pages."""
    header: str = ""
    """The running header (DOCX, PDF)."""
    footer: str = ""
    """The running footer (DOCX and PDF): a State's report's status and date."""
    date_iso: str | None = None
    """The document's date, for its properties."""
    form: bool = False
    """A Word form to fill in, not a report."""
    masthead: Masthead | None = None
    """The block of a UN document above its title (symbol, distribution, date, original)."""

    @property
    def dir(self) -> str:
        return direction(self.lang)

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"

    def as_pandoc(self) -> dict[str, object]:
        """The metadata pandoc's templates read, keys only when they have a value. The DOCX
        writer makes the subject and description the document's Subject and Comments (the
        PDF has the provenance as its own subject), and every other key a custom
        property, which the DOCX finishing drops (`convert.docx.finish_docx`)."""
        out: dict[str, object] = {
            "title": self.title, "subtitle": self.subtitle, "pagetitle": self.pagetitle,
            "lang": self.lang, "dir": self.dir, "toc-title": self.toc_title,
            "facts": [{"label": k, "value": v} for k, v in self.facts
                      if (v["text"] if isinstance(v, dict) else v)]}
        if self.subtitle:
            out["subject"] = self.subtitle
        if self.provenance:
            out["description"] = self.provenance
        if self.form:
            out["form"] = True
        else:
            out.update({"colon": self.colon, "compact": self.compact,
                        "footer-text": self.provenance, "header-text": self.header,
                        "running-footer": self.footer})
        if self.masthead is not None:
            issuer = self.masthead.issuer
            out["masthead"] = {
                "issuer": (issuer[0] if issuer[1] == self.lang else
                           {"text": issuer[0], "lang": issuer[1], "dir": issuer[2]})
                if issuer else "",
                "symbol": self.masthead.symbol,
                "lines": list(self.masthead.lines)}
        return out


_UNSAFE_IN_PATH = re.compile(r"[^\w./ -]")


def safe_path(path: str) -> str:
    """A file's name as a document's properties can hold it: HTML's templates put it in
    an attribute, where pandoc does not escape quotes, so only the characters of plain
    names pass (file names come with the pull request)."""
    return _UNSAFE_IN_PATH.sub("_", path)


def _report(title: Text, subtitle: str, lang: str, compact: str,
            facts: list[tuple[str, Tagged]], source: str, footer: str,
            date_iso: str | None = None) -> DocumentMeta:
    t = Formatter(lang, report=True).gettext
    colon = COLONS.get(lang, ":")
    return DocumentMeta(
        title=tagged(title, lang), subtitle=subtitle,
        pagetitle=f"{plain(title, lang)}{colon} {subtitle}", lang=lang,
        toc_title=t("Contents"), facts=tuple(facts), colon=colon, compact=compact,
        provenance=t("Generated by gcmreview {version} from {path}").format(
            version=__version__, path=safe_path(source)),
        header=f"{plain(title, lang)} · {subtitle}", footer=footer, date_iso=date_iso)


def report_meta(model: ReviewModel, source: str) -> DocumentMeta:
    """A State's report; `source` is its review file as the workspace names it."""
    t = Formatter(model.lang, report=True).gettext
    facts: list[tuple[str, Tagged]] = [
        (t("Document status"), model.status_label),
        (t("Date"), model.date),
        (t("Lead institution"), tagged(model.lead_institution, model.lang)),
        (t("Focal point"), tagged(model.focal_point, model.lang)),
        (t("Language of the review"), model.source.text),
        (t("Translation"), model.translation),
        (t("Objectives covered"), model.objectives_covered),
        (t("Guiding principles covered"), model.principles_covered),
    ]
    subtitle = t("Voluntary review, cycle {cycle}").format(cycle=model.cycle)
    footer = f"{model.status_label} · {model.date}" if model.date else model.status_label
    return replace(_report(Text(model.country, model.lang, model.dir), subtitle, model.lang,
                           model.compact.text, facts, source, footer, model.date_iso),
                   masthead=model.masthead)


def regional_meta(report: RegionalModel) -> DocumentMeta:
    fmt = Formatter(report.lang, report=True)
    t = fmt.gettext
    facts: list[tuple[str, Tagged]] = [
        (t("Region"), tagged(report.region, report.lang)),
        (t("Organizers"), fmt.list([plain(o, report.lang) for o in report.organisers])),
        (t("States taking part"), fmt.number(report.participants_count)),
        (t("Reviews received"), fmt.number(report.submitted_count)),
    ]
    subtitle = t("Regional review, cycle {cycle}").format(cycle=report.cycle)
    return replace(_report(report.title, subtitle, report.lang, report.compact.text, facts,
                           "gcmreview.yaml", subtitle), masthead=report.masthead)


def volume_meta(report: DocumentMeta, title: Text, volume: Volume) -> DocumentMeta:
    """A volume of a large region's report: the report's, titled after the volume."""
    named = f"{plain(title, report.lang)}{report.colon} {volume.label}"
    return replace(report, title=named, pagetitle=named, facts=(),
                   header=f"{plain(title, report.lang)} · {volume.label}")


def form_meta(model: FormModel, version: str) -> DocumentMeta:
    t = Formatter(model.lang).gettext
    return DocumentMeta(
        title=model.title, subtitle=model.subtitle, pagetitle=model.title, lang=model.lang,
        toc_title=t("Contents"), form=True, header=f"{model.title} · {model.subtitle}",
        footer=t("gcmreview {version}, form version {form_version}").format(
            version=version, form_version=model.version))
