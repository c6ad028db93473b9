"""The linker's causes for unlinked events, in a clerk's words, and grouped so they can be counted.

The linker writes one sentence per unlinked event, with the event's own numbers in it
(``"disposition not linked to a charge: it carries no OTN; no charge carries court case number
CR22-00001"``). :func:`reasons` keeps the first thing that went wrong and takes the numbers out,
so that events failing the same way count together; :func:`sentence` says a count of them the
way a records clerk would:

>>> import pyarrow as pa
>>> reasons(pa.array(["charge not linked to an arrest: it carries no OTN and no arrest transaction number; "
...                   "no arrest of the same person within 0 to 2 days",
...                   "supervision not linked to a disposition: it carries no OTN; no disposition carries court "
...                   "case number CR22-00001; no disposition of the same person within 0 to 30 days"])).to_pylist()
['they carried no OTN and no arrest transaction number', 'they carried no OTN']
>>> sentence(212, "disposition", "charge", "they carried no OTN")
'212 dispositions could not be linked to a charge because they carried no OTN'
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["reasons", "sentence", "plural", "NUMBER_LABELS"]

#: How the linker names tracking numbers in its causes.
NUMBER_LABELS = ("OTN", "arrest transaction number", "court case number", "incident number", "booking number",
                 "count number")

_WORDS = {"prosecution_decision": "prosecution decision", "court_case": "court case", "custody_period": "custody period"}

# (pattern, replacement) applied in order to the first clause of a cause
_REWRITES: tuple[tuple[str, str], ...] = (
    (r"^it carries no ", "they carried no "),
    (r"^it has no (.*?), so it cannot be placed in a case$", r"they had no \1"),
    (rf"(carries|with) ({'|'.join(NUMBER_LABELS)}) \S+", r"\1 their \2"),
    (r"^its ", "their "),
)


def word(entity: str) -> str:
    """An entity's name in words (``custody_period`` -> ``custody period``)."""
    return _WORDS.get(entity, entity.replace("_", " "))


def plural(entity: str, count: int = 2) -> str:
    """An entity's name in words, plural unless ``count`` is 1."""
    text = word(entity)
    return text if count == 1 else text + "s"


def reasons(causes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The first reason of each cause, without the event's own numbers, in the plural."""
    if isinstance(causes, pa.ChunkedArray):
        causes = causes.combine_chunks()
    body = pc.replace_substring_regex(causes, r"^[^:]*: ", "")
    first = pc.replace_substring_regex(body, r";.*$", "")
    for pattern, replacement in _REWRITES:
        first = pc.replace_substring_regex(first, pattern, replacement)
    return first


def sentence(count: int, child: str, parent: str | None, reason: str) -> str:
    """``count`` events of type ``child`` not linked to a ``parent``, because ``reason``, as one sentence."""
    parent_text = ""
    if parent:
        name = word(parent)
        parent_text = f" to {'an' if name[0] in 'aeiou' else 'a'} {name}"
    verb = "was" if count == 1 else "could not be"
    tail = "not linked" if count == 1 else "linked"
    return f"{count:,} {plural(child, count)} {verb} {tail}{parent_text} because {reason}"
