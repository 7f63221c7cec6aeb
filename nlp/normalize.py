"""Normalise what citizens type on Zalo into one canonical Vietnamese spelling.

Everything downstream (classifier, ward resolver, urgency rules) matches words,
so the same word must always look the same: NFC, one tone placement ("hòa",
not "hoà"), teencode expanded, no emoji or control characters.  ``fold`` is the
diacritics-insensitive key used for search and for matching text typed without
diacritics.  All functions are pure, linear-time and never raise on a ``str``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nlp.teencode import ABBREVIATIONS, POLICE, POLICE_AFTER

# ---------------------------------------------------------------- characters
# Control characters become spaces (they often stand for line breaks); format
# characters, emoji, pictographs, variation selectors and private-use vanish.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE_OR_EMOJI = re.compile(
    "["
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff"
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299\ue000-\uf8ff"
    "\U0001f000-\U0001faff\U000e0000-\U000e007f\U000f0000-\U0010ffff"
    "\ud800-\udfff"
    "]+"
)
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_REPEAT_PUNCT = re.compile(r"([!?,;:~*=_#^\-])\1+")
_DOTS = re.compile(r"\.{4,}")
_REPEAT_LETTER = re.compile(r"([^\W\d_])\1{2,}")
_VOWEL_ECHO = re.compile(
    r"([àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    r"ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ])"
    r"([aăâeêioôơuưyAĂÂEÊIOÔƠUƯY])\2*"
)


# ---------------------------------------------------------------- folding
def _fold_table() -> dict[int, str | None]:
    """Map every precomposed Latin letter to its bare base letter, marks to nothing."""
    table: dict[int, str | None] = {c: None for c in range(0x300, 0x370)}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(code))[:1]
        if base != chr(code) and base.isascii():
            table[code] = base.lower()
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"})
    return table


_FOLD_TABLE = _fold_table()
_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return the search key of ``text``: lowercase, no diacritics (đ→d), single spaces."""
    if not text:
        return ""
    return " ".join(text.lower().translate(_FOLD_TABLE).split())


_TERM_WORD = re.compile(r"[^\W_]+")


def loose_pattern(term: str) -> str:
    """A regex source for ``term`` however it is typed: any case, any or no diacritics on each
    letter, anything non-word between its words ("Nguyễn Văn-An" finds "nguyen van an")."""
    words = ("".join(_letter_class(ch) for ch in word) for word in _TERM_WORD.findall(fold(term)))
    return r"[\W_]+".join(words)


@lru_cache(maxsize=64)
def _letter_class(base: str) -> str:
    """Every letter that folds to ``base`` (a → [aàáảãạăằ…âầ…]); others stand for themselves."""
    variants = {base}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        if fold(ch) == base:
            variants.add(ch.lower())
    if len(variants) == 1:
        return re.escape(base)
    return "[" + "".join(re.escape(v) for v in sorted(variants)) + "]"


_LETTER = re.compile(r"[^\W\d_]")


def has_diacritics_mostly(text: str) -> bool:
    """Tell whether ``text`` was typed with diacritics (a fifth of its words carry them)."""
    words = [w for w in text.lower().split() if _LETTER.search(w)]
    marked = sum(1 for w in words if not w.isascii() and w.translate(_FOLD_TABLE) != w)
    return bool(words) and marked * 5 >= len(words)


def has_diacritics(text: str) -> bool:
    """Tell whether ``text`` carries any Vietnamese diacritic (used for augmentation)."""
    return fold(text) != _WS.sub(" ", text.lower()).strip()


# ---------------------------------------------------------------- tone marks
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_SHAPED = frozenset("ăâêôơư")
_INITIALS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split() + [""]
)
_FINALS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])


def _vowel_span(lower: str) -> tuple[int, int] | None:
    """Return [start, end) of the syllable's vowel nucleus, or None if not Vietnamese."""
    start = next((i for i, ch in enumerate(lower) if ch in _VOWELS), None)
    if start is None:
        return None
    if lower[start] == "u" and lower[start - 1 : start] == "q":
        start += 1
    elif lower[start] == "i" and lower[start - 1 : start] == "g" and start + 1 < len(lower):
        if lower[start + 1] in _VOWELS:
            start += 1
    end = start
    while end < len(lower) and lower[end] in _VOWELS:
        end += 1
    if end == start or lower[:start] not in _INITIALS and lower[:start] not in ("q", "g"):
        return None
    if lower[end:] not in _FINALS:
        return None
    return start, end


def _tone_index(base: str) -> int | None:
    """Index of the letter that carries the tone in the usual ("hòa", "thủy") placement."""
    lower = base.lower()
    span = _vowel_span(lower)
    if span is None:
        return None
    start, end = span
    nucleus = lower[start:end]
    shaped = [i for i, ch in enumerate(nucleus) if ch in _SHAPED]
    if shaped:
        return start + shaped[-1]
    if len(nucleus) == 1:
        return start
    if end < len(lower):  # a final consonant pulls the tone back: hoàn, huỳnh
        return end - 1
    if len(nucleus) == 2:
        return start
    return start + 1 if len(nucleus) == 3 else None


@lru_cache(maxsize=50_000)
def retone(word: str) -> str:
    """Put the tone mark of one syllable where most Vietnamese text has it (hoà→hòa)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    index = _tone_index(base)
    if index is None:
        return word
    return unicodedata.normalize("NFC", base[: index + 1] + tones[0] + base[index + 1 :])


# ---------------------------------------------------------------- words
_WORD = re.compile(r"[^\W\d_]+(?:\.(?=\s*[^\W\d_]))?")
_NUMBER_BEFORE = re.compile(r"\d\s*$")


def _match_case(source: str, replacement: str) -> str:
    """Keep a leading capital (Ubnd → Ủy ban nhân dân) but not an all-caps shout."""
    if source[:1].isupper() and not (len(source) > 1 and source.isupper()):
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _expand(match: re.Match[str]) -> str:
    """Expand one teencode token or fix its tone mark."""
    token = match.group(0)
    word = token.rstrip(".")
    key = word.lower()
    expansion = ABBREVIATIONS.get(key + ".") if token.endswith(".") else None
    if expansion is None:
        expansion = ABBREVIATIONS.get(key)
        if expansion is not None and token.endswith("."):
            expansion += "."
    if expansion is not None and key in ("k", "p", "h", "v"):
        if _NUMBER_BEFORE.search(_before(match)):  # "50 k", "5 p" are amounts, not teencode
            expansion = None
    if key == "ca" and _means_police(match):
        expansion = POLICE
    if expansion is None:
        fixed = retone(word) if not word.isascii() else word
        return fixed + token[len(word) :]
    return _match_case(word, expansion) + (" " if token.endswith(".") else "")


def _means_police(match: re.Match[str]) -> bool:
    """Whether "ca" stands for "công an" here (see ``nlp.teencode.POLICE``)."""
    if match.group(0) == "CA":
        return True
    words = _before(match).split()
    return bool(words) and words[-1].lower() in POLICE_AFTER


def _before(match: re.Match[str]) -> str:
    """The few characters before a token: enough for the word or number that decides it."""
    return match.string[max(0, match.start() - 12) : match.start()]


def _drop_echo(match: re.Match[str]) -> str:
    """Drop vowels that only echo the marked vowel before them ("quáaa" → "quá")."""
    marked, echo = match.group(1), match.group(2)
    bare = "".join(c for c in unicodedata.normalize("NFD", marked) if c not in _TONE_MARKS)
    return marked if unicodedata.normalize("NFC", bare) == echo else match.group(0)


def clean(text: str) -> str:
    """NFC, control characters to spaces, emoji and invisible characters removed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _INVISIBLE_OR_EMOJI.sub(" ", text)


def normalize(text: str) -> str:
    """Return ``text`` in canonical form; any input, including non-str, gives a str."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text:
        return ""
    if len(text) <= _CACHE_MAX_CHARS:  # the pipeline's steps all normalise the same text
        return _normalize_cached(text)
    return _normalize(text)


_CACHE_MAX_CHARS = 10_000


@lru_cache(maxsize=256)
def _normalize_cached(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    text = clean(text)
    text = _REPEAT_LETTER.sub(r"\1", text)
    text = _VOWEL_ECHO.sub(_drop_echo, text)
    text = _REPEAT_PUNCT.sub(r"\1", _DOTS.sub("...", text))
    text = _WORD.sub(_expand, text)
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()
