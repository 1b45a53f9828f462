"""Read report prose by a clause grammar into facts and unplaced numbers.

- `lexicon`: the words (units, direction and comparison words, canonical subjects);
- `sentences`: sections and sentences, each character tied to its source line;
- `grammar`: what one number is, read from the words around it;
- `extract`: facts per report, last year's figures derived, unplaced numbers kept;
- `consistency`: the checks the prose makes of itself (change vs rate, unit slips).
"""

from juesuan.narrative.consistency import check_facts, find_unit_slips, rate_range
from juesuan.narrative.extract import derive_last_year, extract_facts, extract_prose, to_decimal
from juesuan.narrative.lexicon import CN_NUM
from juesuan.narrative.sentences import (
    Sentence,
    find_section,
    join_lines,
    part_lines,
    split_sections,
    to_sentences,
)

__all__ = [
    "CN_NUM", "Sentence", "check_facts", "derive_last_year", "extract_facts", "extract_prose", "find_section",
    "find_unit_slips", "join_lines", "part_lines", "rate_range", "split_sections", "to_decimal", "to_sentences",
]
