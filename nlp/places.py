"""Places outside the four wards, and the ward nearest to a shared location.

The 2025 administrative units (34 provinces and their 3,321 wards and communes) come
from the ``vietnam-provinces`` package, which ships them as JSON; the units abolished in
2025 (old districts and provinces that residents still name) come from underthesea's
mapping through the gazetteer. Both are read once, lazily, with no network.

``elsewhere(text)`` names the place outside the area a message speaks of ("Hội An",
"phường Hải Châu", "Hà Nội"), unless the message also names one of our wards; negated
names ("không phải Tam Kỳ") count for neither. ``nearest_ward(lat, lng)`` proposes the
ward of the closest former unit of Tam Kỳ when the point lies inside the area.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from nlp._lazy import Lazy
from nlp.gazetteer import GAZETTEER, HOME_PROVINCES, WARD_NAMES, Key, bare_name, key
from nlp.normalize import fold, normalize
from nlp.wards import resolve, without_negated

logger = logging.getLogger(__name__)

UNITS_FILE = Path(__file__).parent / "data" / "places" / "tam_ky_units.json"
_UNIT_WORDS = re.compile(r"\b(phuong|xa|dac khu|tinh|thanh pho|tp|huyen|quan|thi xa|thi tran)\s+$")
_FEATURE_WORDS = re.compile(r"\b(duong|(?<!thanh )pho|kiet|hem)\s+$")
# Short names residents use for a few provinces.
_ALIASES: dict[Key, str] = {
    ("hcm",): "Hồ Chí Minh", ("tphcm",): "Hồ Chí Minh", ("sai", "gon"): "Hồ Chí Minh",
    ("sg",): "Hồ Chí Minh", ("hn",): "Hà Nội",
}  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A place outside the area: its name as we spell it, its level, its province now."""

    name: str
    level: str  # province | ward | district
    province: str | None


@dataclass(frozen=True, slots=True)
class _Atlas:
    provinces: dict[Key, str]  # current and former provinces outside Đà Nẵng/Quảng Nam
    wards: dict[Key, tuple[str, str]]  # current ward or commune → (name, province), unique
    districts: dict[Key, str]  # former districts and towns (Hội An, Núi Thành…)
    max_len: int
    aliases: dict[Key, str]


def _current_units() -> list[dict[str, object]]:
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or not spec.submodule_search_locations:
        logger.warning("vietnam-provinces not installed: current wards outside are unknown")
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "nested-divisions.json"
    with path.open(encoding="utf-8") as handle:
        data: list[dict[str, object]] = json.load(handle)
    return data


def _province_name(raw: str) -> str:
    return re.sub(r"^(Thành phố|Tỉnh)\s+", "", raw.strip())


def _build() -> _Atlas:
    gaz = GAZETTEER.get()
    provinces = dict(gaz.foreign)
    aliases = dict(_ALIASES)
    wards: dict[Key, tuple[str, str]] = {}
    seen: dict[Key, int] = {}
    home = {key(name) for name in WARD_NAMES.values()}
    for province in _current_units():
        pname = _province_name(str(province.get("name", "")))
        if fold(pname) not in HOME_PROVINCES:
            provinces.setdefault(key(pname), pname)
        for ward in province.get("wards", []):  # type: ignore[attr-defined]
            name = bare_name(str(ward.get("name", "")))
            k = key(name)
            if not k or k in home:
                continue
            seen[k] = seen.get(k, 0) + 1
            wards[k] = (name, pname)
    unique = {k: v for k, v in wards.items() if seen[k] == 1}
    districts = {k: v for k, v in gaz.districts.items() if len(k) > 1}
    longest = max(len(k) for k in [*provinces, *unique, *districts])
    return _Atlas(provinces, unique, districts, longest, aliases)


ATLAS: Lazy[_Atlas] = Lazy(_build)


def elsewhere(text: str, extra_names: Mapping[str, str] | None = None) -> Elsewhere | None:
    """The place outside the four wards the text names, or None (ours, or none named)."""
    if not isinstance(text, str) or not text.strip():
        return None
    match = resolve(text, extra_names)
    if match is not None and match.via != "city_name":
        return None
    view = fold(normalize(without_negated(text[:5_000])))
    words = _WORD.findall(view)
    atlas = ATLAS.get()
    for i in range(len(words)):
        before = " ".join(words[max(0, i - 3) : i]) + " "
        if _FEATURE_WORDS.search(before):
            continue
        unit = _UNIT_WORDS.search(before)
        for size in range(min(atlas.max_len, len(words) - i), 0, -1):
            found = _lookup(atlas, tuple(words[i : i + size]), unit is not None)
            if found is not None:
                return found
    return None


def _lookup(atlas: _Atlas, k: Key, has_unit_word: bool) -> Elsewhere | None:
    if k in atlas.aliases:
        return Elsewhere(atlas.aliases[k], "province", atlas.aliases[k])
    if k in atlas.provinces and (len(k) > 1 or has_unit_word):
        return Elsewhere(atlas.provinces[k], "province", atlas.provinces[k])
    if k in atlas.districts and len(k) > 1 and " ".join(k) != "tam ky":
        return Elsewhere(atlas.districts[k], "district", None)
    if has_unit_word and k in atlas.wards and len(k) > 1:
        name, province = atlas.wards[k]
        return Elsewhere(name, "ward", province)
    return None


@dataclass(frozen=True, slots=True)
class Nearest:
    """The ward a point most likely lies in, with the former unit it is closest to."""

    code: str
    unit: str
    km: float
    inside: bool


def _units() -> tuple[float, list[dict[str, object]]]:
    data = json.loads(UNITS_FILE.read_text(encoding="utf-8"))
    return float(data["inside_km"]), list(data["units"])


UNITS: Lazy[tuple[float, list[dict[str, object]]]] = Lazy(_units)


def _km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def nearest_ward(lat: float, lng: float) -> Nearest | None:
    """The ward of the nearest former unit; ``inside`` when within the area's reach."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    reach, units = UNITS.get()
    best = min(units, key=lambda u: _km(lat, lng, float(u["lat"]), float(u["lng"])))  # type: ignore[arg-type]
    km = _km(lat, lng, float(best["lat"]), float(best["lng"]))  # type: ignore[arg-type]
    return Nearest(str(best["ward"]), str(best["name"]), round(km, 2), km <= reach)
