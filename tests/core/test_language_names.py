"""A language's name carries `lang` only when it is written in that language itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_marks_a_translated_language_name_with_that_languages_code():
    wrong = re.compile(r'lang="\{\{ (language\.code|code) \}\}">\{\{ (language\.name|name) \}\}')
    found = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("buurtnet/**/*.html"), *ROOT.glob("templates/**/*.html")]
        if wrong.search(path.read_text())
    ]
    assert found == []
