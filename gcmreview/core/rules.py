"""Every diagnostic code gcmreview emits, with a one-line description.

Codes are a public interface (CI annotations, SARIF rules, users' scripts): add
new ones, never rename. docs/format.md lists them; a test keeps the two in step.
"""

RULES: dict[str, str] = {
    # loading
    "encoding": "The file is not UTF-8.",
    "file-too-large": "The file is larger than a review file may be.",
    "yaml-syntax": "The file is not valid YAML.",
    "yaml-alias": "YAML anchors and aliases are not allowed.",
    "yaml-tag": "YAML tags are not allowed.",
    "duplicate-key": "A key appears twice in the same mapping.",
    "empty-file": "The file is empty.",
    "not-a-mapping": "The file does not hold a mapping at its top level.",
    "not-a-regular-file": "The review file is a symbolic link, which is not read.",
    "not-a-review-file": "A Word document, OpenDocument file or PDF was given instead of YAML.",
    "file-not-read": "A file of the folder looks like a review file but is not named like one.",
    "tab-character": "A line is indented with a tab; YAML indents with spaces.",
    "colon-in-text": "Unquoted text holds a colon followed by a space.",
    "quote-ends-text": "A quote mark inside quoted text ends the text early.",
    "reserved-start": "Unquoted text starts with a sign YAML reserves (@ ` * & ! % or - ).",
    "text-indentation": "A line of a text is not indented under its key or its block.",
    "comment-in-text": "Unquoted text holds a `#` after a space: the rest is a comment, left out.",
    "indentation": "A key lines up with no mapping above it.",
    "no-space-after-colon": "A key and its value have no space between them.",
    "no-break-space": "A no-break space where YAML needs an ordinary space.",
    "invisible-character": "An invisible character (a direction mark) in a key, value or line.",
    "smart-quotes": "A value wrapped in typographic quotes from Word, used as YAML quotes.",
    "non-latin-digits": "An objective number written with Arabic-Indic digits.",
    # schema
    "unknown-key": "A key the format does not define.",
    "missing-key": "A required key is missing.",
    "wrong-type": "A value has the wrong type (text, number, list or mapping).",
    "invalid-value": "A value is outside the allowed values or form.",
    "too-many-problems": "So many format problems that only the first are listed.",
    # review rules
    "unknown-country": "The country code is not an ISO 3166-1 alpha-2 code.",
    "country-mismatch": "The file name and the `country` value differ.",
    "duplicate-review": "Two review files are the review of the same State.",
    "not-a-participant": "The State is not among the workspace's participants.",
    "cycle-mismatch": "The review's cycle differs from the workspace's.",
    "unknown-objective": "An objective number outside 1 to 23.",
    "objective-key-quoted": "An objective key written as text instead of a number.",
    "unknown-principle": "A guiding-principle slug that does not exist.",
    "missing-justification": "An objective marked not_applicable has no justification.",
    "status-not-stated": "An objective the review reports on without a status.",
    "carried-over": "An entry carried over from an earlier cycle's review, not checked yet.",
    "placeholder": "Scaffold placeholder text (TODO) left in the file, or as a translation "
                   "(not imported).",
    "control-character": "A text holds a control character (escaped in YAML) reports cannot show.",
    "empty-narrative": "A narrative field is empty.",
    "narrative-too-deep": "A narrative nests quotes, lists, brackets or emphasis too deep "
                          "to build.",
    "narrative-combining-marks": "A narrative stacks dozens of combining marks on one "
                                 "letter (pandoc would take minutes).",
    "narrative-note-in-note": "A footnote's text calls a footnote (itself or another).",
    "narrative-image": "A narrative contains an image, which reports leave out.",
    "raw-markup": "A narrative contains HTML or raw markup, which reports show as text.",
    "narrative-heading": "A narrative contains a heading, which reports show as bold text.",
    "unsafe-link": "A narrative links to something other than a web or e-mail address.",
    "unknown-source": "A citation names a source id the file does not define.",
    "duplicate-source": "Two sources share an id.",
    # coverage
    "objectives-missing": "Objectives the review does not report on.",
    "objective-no-narrative": "An objective is declared without a narrative.",
    "principles-missing": "Guiding principles the review does not report on.",
    "principle-no-narrative": "A guiding principle is declared without a narrative.",
    "coverage-below-minimum": "Objective coverage is below --min-coverage.",
    # indicator data
    "unknown-indicator": "A data file or a workspace link names an indicator the catalogue lacks.",
    "data-syntax": "A data file is not a comma-separated file gcmreview can read.",
    "data-column": "A data file's header lacks Year or Value, or names a column twice.",
    "data-not-a-number": "A data file has text where a year or a number is due.",
    "data-year-out-of-range": "A data file has a year outside the review cycle's range.",
    "data-duplicate-row": "A data file has the same year and breakdown twice.",
    "data-unit-changed": "A series of a data file changes its unit across years.",
    "data-disaggregation": "A breakdown or its value is not in the indicator's list.",
    "data-formula": "A data file's cell starts as a spreadsheet formula (= + - @).",
    "data-empty": "A data file has a header but no values.",
    # workspace files
    "catalogue-source": "A catalogue file adds wording in a language without naming its source.",
    # translations (validate)
    "translation-missing": "A text of the review has no current translation into a language "
                           "it is (or must be) translated into.",
    "translation-stale": "A text's translation is of an earlier version of the text.",
    "translation-invalid": "A translation file cannot be read, or a kept translation's codes "
                           "are not the original's.",
    # translations (translate import)
    "unknown-unit": "A unit of a translation file names no text of the review or catalogue.",
    "duplicate-unit": "A translation file gives the same text twice.",
    "unreadable-unit": "A unit's codes do not nest, or it holds an element XLIFF text cannot.",
    "codes-mismatch": "A translation's codes (tags) are not the original's.",
    "draft": "A translation is marked as a draft (state initial): not imported.",
    "line-break": "The translation of a one-line text holds line breaks.",
    "wrong-script": "A translation is not in the script of its language.",
    "official-text-kept": "The catalogue has an official text already: the file's is not taken.",
}
