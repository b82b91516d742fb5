"""Text helpers shared by the lexical index, chunking and constraint extraction."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
# A sentence ends at . ! or ? and a space, but not after an abbreviation: a capital and at most
# one small letter ("Cu.", "Ft.", "Dr.") or a unit ("cu. ft.", "oz."). "CoolCube 3.9 Cu. Ft.
# Compact Refrigerator" is one name, and "a 3.9 cu. ft. fridge" one phrase.
ABBREVIATION = r"(?<!\b[A-Z]\.)(?<!\b[A-Z][a-z]\.)" + "".join(
    rf"(?<!\b{unit}\.)" for unit in ("cu", "ft", "sq", "oz", "lb", "lbs", "qt", "gal", "vs", "approx")
)
_SENTENCE = re.compile(r"(?<=[.!?])" + ABBREVIATION + r"\s+")

# A short stop list: BM25 idf already discounts common words, this only drops pure glue.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "you",
        "your",
        "do",
        "does",
        "can",
        "what",
        "which",
        "any",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: Snowball English, so "shoes" matches "shoe"

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# British spellings folded to American ones before stemming, on both sides of every match, so
# "moisturiser" finds the Moisturizers category and "colour" the colors field. A word that only
# looks British ("exercise" -> "exercize") is folded the same way everywhere, so nothing is lost.
_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|er|ers|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|ful|less|ite|ites)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{2})tre(s)?$"), r"ter\1"),
)


@lru_cache(maxsize=65536)
def us_spelling(word: str) -> str:
    for pattern, repl in _SPELLING:
        word = pattern.sub(repl, word)
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, US-spelled, stemmed tokens for BM25."""
    return _stemmer().stemWords([us_spelling(w) for w in words(text) if w not in STOPWORDS])


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def chunk_text(text: str, max_words: int = 120, overlap_sentences: int = 1) -> list[str]:
    """Sentence-aligned windows of at most ``max_words`` words.

    all-MiniLM-L6-v2 silently truncates at 256 word pieces (~150-180 words), so long
    descriptions are split rather than cut off.
    """
    sents = sentences(text)
    if not sents:
        return []
    chunks: list[str] = []
    current: list[str] = []
    count = 0
    for sent in sents:
        n = len(sent.split())
        if current and count + n > max_words:
            chunks.append(" ".join(current))
            current = current[-overlap_sentences:] if overlap_sentences else []
            count = sum(len(s.split()) for s in current)
        current.append(sent)
        count += n
    if current:
        chunks.append(" ".join(current))
    return chunks


_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def plain_text(markdown: str) -> str:
    """Markdown to plain sentences: table rows become "First cell: header value; ..." lines, so a
    shipping-rates table reads (and embeds, and quotes) as "Standard: Cost $5.95; ...".
    """
    out: list[str] = []
    header: list[str] | None = None
    for raw in markdown.splitlines():
        line = _EMPHASIS.sub("", raw).strip()
        if line.startswith("|"):
            if _TABLE_SEP.match(line.replace("|", "", 1)) or set(line) <= set("|-: "):
                continue
            cells = _cells(line)
            if header is None:
                header = cells
                continue
            pairs = [f"{h} {c}" if h else c for h, c in zip(header[1:], cells[1:], strict=False) if c]
            out.append(f"{cells[0]}: {'; '.join(pairs)}.")
            continue
        header = None
        out.append(re.sub(r"^[-*+]\s+|^\d+\.\s+", "", line))
    return "\n".join(x for x in out if x)
