"""Generate a synthetic workspace of 193 complete reviews (about 65 KB each, 12 MB in all).

    python bench/synth.py bench/out/ws

Deterministic (fixed seed), so runs compare like with like. Every review
covers all 23 objectives and 10 principles, in en, fr or ar. The narratives
use what real ones use: paragraphs, emphasis, bullet lists, links, and now and
then a footnote (which a narrative may define: it must not slow the build down).
Most of the text is in the objectives' summaries, which the regional report
quotes in full, as a State's answer to an objective is.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pycountry

EN = ("migration policy data national review progress measures support labour return "
      "protection access services cooperation strategy law community rights")
FR = ("migration politique données examen national progrès mesures soutien travail retour "
      "protection accès services coopération stratégie loi communauté droits")
AR = ("الهجرة السياسة البيانات الاستعراض الوطني التقدم التدابير الدعم العمل العودة "
      "الحماية الوصول الخدمات التعاون الاستراتيجية القانون المجتمع الحقوق")
WORDS = {lang: text.split(" ") for lang, text in (("en", EN), ("fr", FR), ("ar", AR))}
SLUGS = ["people-centred", "international-cooperation", "national-sovereignty", "rule-of-law",
         "sustainable-development", "human-rights", "gender-responsive", "child-sensitive",
         "whole-of-government", "whole-of-society"]


def sentence(rng: random.Random, lang: str, n: int) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(n)]
    if n > 6 and rng.random() < 0.3:
        i = rng.randrange(n)
        words[i] = f"*{words[i]}*" if rng.random() < 0.5 else f"**{words[i]}**"
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, lang: str, sentences: int) -> str:
    return " ".join(sentence(rng, lang, rng.randint(8, 16)) for _ in range(sentences))


def narrative(rng: random.Random, lang: str, paragraphs: int) -> str:
    """Markdown as a focal point writes it: paragraphs, sometimes a list, a link, a note."""
    parts = [paragraph(rng, lang, rng.randint(2, 3)) for _ in range(paragraphs)]
    if rng.random() < 0.5:
        parts.append("\n".join(f"- {sentence(rng, lang, rng.randint(5, 9))}" for _ in range(3)))
    if rng.random() < 0.3:
        parts[0] += f" [{sentence(rng, lang, 3)}](https://example.org/report/{rng.randrange(999)})"
    if rng.random() < 0.1:
        parts[0] += "[^1]"
        parts.append(f"[^1]: {sentence(rng, lang, 8)}")
    return "\n\n".join(parts)


def review(code: str, lang: str, rng: random.Random) -> str:
    q = json.dumps  # JSON strings are valid YAML scalars: no quoting surprises
    lines = [f"country: {code}", "review:", "  cycle: 2024", f"  language: {lang}",
             "  status: submitted", '  date: "2024-05-01"',
             f"  lead_institution: {q(sentence(rng, lang, 5))}",
             "methodology:", f"  summary: {q(narrative(rng, lang, 1))}",
             "  institutions: [" + ", ".join(q(sentence(rng, lang, 3)) for _ in range(4)) + "]",
             "  stakeholders:", "    - {group: civil_society}", "    - {group: academia}",
             "policy_environment:", f"  summary: {q(narrative(rng, lang, 1))}", "objectives:"]
    for n in range(1, 24):
        lines += [f"  {n}:", "    status: in_progress",
                  f"    summary: {q(narrative(rng, lang, 2))}", "    measures:",
                  f"      - {{title: {q(sentence(rng, lang, 4))}, year: 2021, "
                  f"description: {q(sentence(rng, lang, 12))}}}",
                  "    challenges: [" + ", ".join(q(sentence(rng, lang, 6)) for _ in range(2))
                  + "]",
                  "    partners: [IOM, UNHCR]",
                  "    principles: [" + ", ".join(rng.sample(SLUGS, 2)) + "]"]
    lines.append("principles:")
    for slug in SLUGS:
        lines += [f"  {slug}:", f"    summary: {q(narrative(rng, lang, 1))}"]
    for section in ("covid19", "means_of_implementation", "next_steps"):
        lines += [f"{section}:", f"  summary: {q(narrative(rng, lang, 1))}"]
    return "\n".join(lines) + "\n"


def countries(count: int) -> list[str]:
    codes = sorted(c.alpha_2 for c in pycountry.countries)
    return codes[:count]


def main(target: Path, count: int = 193) -> None:
    rng = random.Random(193)
    folder = target / "countries"
    folder.mkdir(parents=True, exist_ok=True)
    codes = countries(count)
    for i, code in enumerate(codes):
        lang = ("en", "fr", "ar")[i % 3]
        (folder / f"{code}.yaml").write_text(review(code, lang, rng), encoding="utf-8")
    (target / "gcmreview.yaml").write_text(
        "region: Synthetic world\ncycle: 2024\nparticipants: [" + ", ".join(codes) + "]\n",
        encoding="utf-8")
    sizes = [p.stat().st_size for p in folder.glob("*.yaml")]
    print(f"{len(sizes)} reviews in {folder}, mean {sum(sizes) / len(sizes) / 1024:.1f} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bench/out/ws"))
