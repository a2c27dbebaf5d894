"""The government's commitments stated in running text of Meld. St. 5 (2023–2024): every
sentence beginning «Regjeringen vil …» outside the «Regjeringen vil:» lists (no Django imports).

How they are counted:
1. the text is cut into blank-line separated paragraphs, wrapped lines joined (seeds.join_lines);
2. every «Regjeringen vil» not followed by a colon starts a sentence, which runs to the next
   full stop followed by a capital letter (or to the end of the paragraph). A sentence cut off by
   a page break, footnote or box goes on in the first later line that starts a paragraph with a
   small letter or starts a new page (one leading space) with a small letter;
3. a sentence about the white paper itself («i denne meldingen») is no commitment;
4. a sentence that restates a bullet of a «Regjeringen vil:» list in the same section (most of
   its words are the bullet's) is counted once, as the list item.
"""

from __future__ import annotations

import re

from beredskap.commitments.seeds import Found, _section_before, join_lines, parse_white_paper

OPENING = re.compile(r"Regjeringen vil(?!:)\s+")
SENTENCE_END = re.compile(r"[.!?](?:\d{1,2})?(?=\s+[A-ZÆØÅ«–]|\s*$)")
LEADING_ADVERB = re.compile(r"^(?:derfor|også|blant annet)\s+")
ABOUT_THE_PAPER = "denne meldingen"
CONTINUATION_WINDOW = 60
RESTATES = 0.6
# Keys kept from the first extraction, so progress recorded on them stays with the same text.
LEGACY_NUMBERS = {"foreta en gjennomgang av regelverk": 1, "regelmessig orientere Stortinget": 2}


def _paragraph_spans(lines: list[str]) -> list[tuple[int, int]]:
    spans, first = [], None
    for i, line in enumerate(lines):
        if line.strip() and first is None:
            first = i
        elif not line.strip() and first is not None:
            spans.append((first, i))
            first = None
    if first is not None:
        spans.append((first, len(lines)))
    return spans


def _continuation(lines: list[str], after: int) -> list[str]:
    """The lines that carry on a sentence cut off at line `after` (see the module docstring)."""
    for j in range(after + 1, min(len(lines), after + CONTINUATION_WINDOW)):
        line = lines[j]
        starts_paragraph = not lines[j - 1].strip() and line[:1].islower()
        starts_page = line.startswith(" ") and not line.startswith("  ") and line[1:2].islower()
        if starts_paragraph or starts_page:
            end = next((k for k in range(j, len(lines)) if not lines[k].strip()), len(lines))
            return lines[j:end]
    return []


def _sentence(text: str, start: int) -> tuple[str, bool]:
    """The sentence from `start`, and whether it ended with a full stop."""
    end = SENTENCE_END.search(text, start)
    if end is None:
        return text[start:].strip(), False
    return text[start : end.start()].strip(), True


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def restates(sentence: str, item: str) -> bool:
    """True if most words of a list bullet recur in the sentence."""
    words = _words(item)
    return bool(words) and len(words & _words(sentence)) / len(words) >= RESTATES


def raw_sentences(text: str) -> list[tuple[int, str]]:
    """Every «Regjeringen vil …» sentence of running text, with its first line, in order."""
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    for first, end in _paragraph_spans(lines):
        joined = join_lines(lines[first:end])
        for match in OPENING.finditer(joined):
            sentence, complete = _sentence(joined, match.end())
            if not complete:
                longer = join_lines(lines[first:end] + _continuation(lines, end - 1))
                offset = longer.find(joined[match.start() : match.end() + 20])
                sentence, _complete = _sentence(longer, offset + len(match.group()))
            found.append((first, LEADING_ADVERB.sub("", sentence)))
    return found


def parse_prose_commitments(text: str) -> list[Found]:
    """The running-text commitments, numbered in document order after the legacy numbers."""
    lines = text.splitlines()
    listed = parse_white_paper(text)
    result: list[Found] = []
    number = max(LEGACY_NUMBERS.values())
    for first, sentence in raw_sentences(text):
        section, title = _section_before(lines, first)
        same_section = [f.text for f in listed if f.section == section]
        if ABOUT_THE_PAPER in sentence or any(restates(sentence, i) for i in same_section):
            continue
        legacy = next((n for key, n in LEGACY_NUMBERS.items() if sentence.startswith(key)), None)
        if legacy is None:
            number += 1
        result.append(
            Found("white_paper_text", legacy or number, section, title, sentence.rstrip(" ,;"))
        )
    return result


def tally(text: str) -> dict[str, int]:
    """The count step by step, as `count_commitments` prints it."""
    lines = text.splitlines()
    listed = parse_white_paper(text)
    sentences = raw_sentences(text)
    about = [s for _f, s in sentences if ABOUT_THE_PAPER in s]
    kept = parse_prose_commitments(text)
    return {
        "list_heads": sum(1 for line in lines if re.match(r"^\s*Regjeringen vil:\s*$", line)),
        "list_items": len(listed),
        "running_text_sentences": len(sentences),
        "about_the_paper": len(about),
        "restating_a_list_item": len(sentences) - len(about) - len(kept),
        "running_text_commitments": len(kept),
    }
