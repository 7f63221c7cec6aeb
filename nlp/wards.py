"""Resolve the place a resident names to one of the four current wards, or to none.

Residents use new ward names, the 13 old ward/commune names, khối phố and thôn
names, with or without diacritics or "phường/xã/p.".  Most old names also exist
elsewhere in Vietnam, so a text that names another province or district does
not resolve through them, and a longer name ("Hòa Thuận Tây") is not ours.
When the text points at two wards equally, or at none, the answer is None and
the bot asks.

"Tam Kỳ" is special: until July 2025 it named the whole city.  "thành phố
Tam Kỳ"/"TP Tam Kỳ" therefore resolves to nothing, "phường Tam Kỳ" to the
ward, and a bare "Tam Kỳ" (chợ Tam Kỳ, ở Tam Kỳ) to the ward with
``via="city_name"``, weaker than any other evidence so the bot can confirm.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from nlp.gazetteer import GAZETTEER, WARD_NAMES, Gazetteer, Key, PlaceName, key, prefixes
from nlp.normalize import fold, normalize

__all__ = ["WARD_NAMES", "WardMatch", "resolve", "without_negated"]

_TOKEN = re.compile(r"[^\W_]+")
_WARD_PREFIX = frozenset({("phuong",), ("xa",), ("p",), ("thi", "tran")})
_UPPER_PREFIX = frozenset(
    {("thanh", "pho"), ("tp",), ("thi", "xa"), ("tx",), ("huyen",), ("quan",), ("tinh",)}
)
_FEATURE_PREFIX = frozenset({("song",), ("cau",), ("duong",), ("pho",), ("ho",), ("nui",)})
_EXTRA_FOREIGN = frozenset(
    {("hcm",), ("tphcm",), ("sai", "gon"), ("vung", "tau"), ("ha", "noi"), ("hue",)}
)
_EXTRA_PREFIXES = prefixes(_EXTRA_FOREIGN)
STRONG, NORMAL, WEAK = 3, 2, 1
# "không phải Tam Kỳ", "chứ ko phải Tam Thanh", "đâu phải phường X": the name that follows
# is what the place is not. It runs to the next punctuation or a closing particle.
_NEGATED = re.compile(
    r"(?i)\b(?:kh[oô]ng|ko|k|ch[ẳa]ng|đ[âa]u|h[ổo]ng)\s+ph[ảa]i(?:\s+l[àa])?\s+"
    r"[^,.;!?\n]{1,40}?(?=$|[,.;!?\n]|\s+(?:m[àa]|ch[ứu]|nha|nh[ée]|đ[âa]u|[ạa])\b)"
)


def without_negated(text: str) -> str:
    """The text with every "không phải X" blanked out (same length, so spans still line up)."""
    return _NEGATED.sub(lambda m: " " * len(m.group()), text)


@dataclass(frozen=True, slots=True)
class WardMatch:
    """The resolved ward: its code, display name and the words that named it."""

    code: str
    name: str
    matched: str
    via: str = "old"  # new | old | local | city_name


@dataclass(frozen=True, slots=True)
class _Hit:
    code: str
    score: int
    matched: str
    via: str


@lru_cache(maxsize=64)
def _locals(items: tuple[tuple[str, str], ...]) -> tuple[dict[Key, PlaceName], frozenset[Key]]:
    """Fold configured local names (and their prefixes) once per distinct configuration."""
    result: dict[Key, PlaceName] = {}
    for name, code in items:
        if code in WARD_NAMES and key(name):
            result[key(name)] = PlaceName(code, "", "local", ambiguous=True)
    return result, prefixes(result)


def _untoned(word: str) -> str:
    marks = "\u0300\u0301\u0303\u0309\u0323"
    return "".join(c for c in unicodedata.normalize("NFD", word) if c not in marks)


def _token_ok(typed: str, wanted: str) -> bool:
    """Accept no diacritics, the right ones, or a missing tone; reject a different word."""
    if typed.isascii() or typed == wanted:
        return True
    bare = _untoned(typed)
    return bare == unicodedata.normalize("NFD", typed) and bare == _untoned(wanted)


def _spelled_right(tokens: list[str], canonical: str) -> bool:
    """Tokens typed with diacritics must match the canonical spelling (Tâm ≠ Tam)."""
    if not canonical or len(tokens) != len(canonical.split()):
        return True
    wanted = canonical.lower().split()
    return all(_token_ok(t.lower(), w) for t, w in zip(tokens, wanted, strict=True))


def _is_city(place: PlaceName) -> bool:
    """The new name "Tam Kỳ" is also the name of the former city."""
    return place.via == "new" and place.code == "tam_ky"


def _prefix(folded: list[str], i: int) -> str:
    """Classify the words just before position ``i``: ward, upper, feature or none."""
    for size in (2, 1):
        before = tuple(folded[max(0, i - size) : i])
        if len(before) != size:
            continue
        if before in _WARD_PREFIX:
            return "ward"
        if before in _UPPER_PREFIX:
            return "upper"
        if before in _FEATURE_PREFIX:
            return "feature"
    return "none"


class _Scan:
    """Every span of the text that names a place, and what the text says around them."""

    def __init__(
        self,
        text: str,
        gaz: Gazetteer,
        local: dict[Key, PlaceName],
        local_prefixes: frozenset[Key] = frozenset(),
    ) -> None:
        self.words = _TOKEN.findall(text)
        self.folded = [fold(w) for w in self.words]
        self.gaz, self.local = gaz, local
        self.cased = text != text.lower()
        self.hits: list[tuple[PlaceName, int, int, str]] = []
        self.longer: list[tuple[int, int]] = []  # spans of other places' longer names
        self.foreign: list[int] = []  # where other provinces or districts are named
        self.home = False
        longest = max([gaz.max_len, *map(len, local)])
        for i in range(len(self.folded)):
            for size in range(1, min(longest, len(self.folded) - i) + 1):
                k = tuple(self.folded[i : i + size])
                if k not in gaz.prefixes and k not in _EXTRA_PREFIXES and k not in local_prefixes:
                    break  # no name starts with these words, nor with any longer span
                self._look(k, i, i + size)

    def _exact(self, start: int, end: int, spelling: str) -> bool:
        """Typed with exactly these diacritics (case aside): no folding ambiguity."""
        typed = [w.lower() for w in self.words[start:end]]
        return typed == spelling.lower().split() and any(not w.isascii() for w in typed)

    def _inside_longer_name(self, start: int) -> bool:
        """A capitalised word just before ("An Hà Nam") makes it part of another name."""
        if not self.cased or start == 0:
            return False
        before = self.words[start - 1]
        return before[:1].isupper() and _prefix(self.folded, start) == "none"

    def _look(self, k: Key, start: int, end: int) -> None:
        place = self.local.get(k) or self.gaz.names.get(k)
        if place is not None:
            self.home = self.home or _is_city(place)
            self.hits.append((place, start, end, _prefix(self.folded, start)))
        spelling = self.gaz.national.get(k)
        if spelling is not None and _spelled_right(self.words[start:end], spelling):
            self.longer.append((start, end))
        if k in _EXTRA_FOREIGN or self._foreign_name(k, start, end):
            self.foreign.append(start)

    def _foreign_name(self, k: Key, start: int, end: int) -> bool:
        province, district = self.gaz.foreign.get(k), self.gaz.districts.get(k)
        if province is None and district is None:
            return False
        prefix = _prefix(self.folded, start)
        if prefix == "feature" or (prefix != "upper" and self._name_goes_on(end)):
            return False  # "đường Điện Biên Phủ", "Điện Biên Phủ": a street, not the province
        if province is not None and _spelled_right(self.words[start:end], province):
            return not self._inside_longer_name(start)
        if district is None:
            return False
        if prefix == "upper":
            return _spelled_right(self.words[start:end], district)
        bare_ok = len(k) > 1 and self._exact(start, end, district) and self._capitalised(start)
        return bare_ok and not self._inside_longer_name(start)

    def _name_goes_on(self, end: int) -> bool:
        """A capitalised word right after ("Điện Biên Phủ") makes it part of a longer name."""
        return self.cased and end < len(self.words) and self.words[end][:1].isupper()

    def _capitalised(self, start: int) -> bool:
        """In text that uses capitals, a proper name is capitalised ("chợ mới" is a new market)."""
        return not self.cased or self.words[start][:1].isupper()

    def abroad(self, start: int, end: int, prefixed: bool) -> bool:
        """Another province or district is named: anywhere for a bare name; for
        "phường X", right after it as in an address ("phường An Phú, TP Thủ Đức")."""
        if self.home:
            return False
        if not prefixed:
            return bool(self.foreign)
        return any(start - 3 <= f <= end + 12 for f in self.foreign)

    def shadowed(self, start: int, end: int) -> bool:
        """Part of a longer name of some other place ("Hòa Thuận Tây")."""
        return any(a <= start and end <= b and (b - a) > (end - start) for a, b in self.longer)


def _score(place: PlaceName, prefix: str, is_city: bool) -> int:
    if prefix == "upper":
        return 0
    if prefix == "ward":
        return STRONG
    if is_city or prefix == "feature":
        return WEAK
    return NORMAL


def _hits(scan: _Scan) -> list[_Hit]:
    hits: list[_Hit] = []
    for place, start, end, prefix in scan.hits:
        words = scan.words[start:end]
        if not _spelled_right(words, place.canonical) or scan.shadowed(start, end):
            continue
        if place.ambiguous and scan.abroad(start, end, prefix == "ward"):
            continue
        is_city = _is_city(place)
        score = _score(place, prefix, is_city)
        if score:
            via = "city_name" if is_city and score == WEAK else place.via
            hits.append(_Hit(place.code, score, " ".join(words), via))
    return hits


def _decide(hits: list[_Hit]) -> WardMatch | None:
    """Strongest evidence wins; two wards with equal evidence is ambiguous."""
    if not hits:
        return None
    best = max(h.score for h in hits)
    top = [h for h in hits if h.score == best]
    if len({h.code for h in top}) != 1:
        return None
    hit = top[0]
    return WardMatch(hit.code, WARD_NAMES[hit.code], hit.matched, hit.via)


def resolve(text: str, extra_names: Mapping[str, str] | None = None) -> WardMatch | None:
    """Return the current ward ``text`` names, or None when unknown or ambiguous.

    ``extra_names`` maps local names (khối phố, thôn, streets, landmarks; any
    spelling) to ward codes; entries with an unknown code are ignored.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = without_negated(text)
    local, local_prefixes = (
        _locals(tuple(sorted(extra_names.items()))) if extra_names else ({}, frozenset())
    )
    scan = _Scan(normalize(text[:20_000]), GAZETTEER.get(), local, local_prefixes)
    return _decide(_hits(scan))
