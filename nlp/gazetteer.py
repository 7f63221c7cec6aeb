"""Place names for the ward resolver, built from underthesea's official mapping.

underthesea ships the old→new mapping of every Vietnamese ward (effective
2025-07-01).  From it we take the old units of the former Tam Kỳ city (which
current ward they belong to), and the names of every other ward, district and
province in the country: those tell us when "An Phú" is some other An Phú.
The file is read once, lazily; if it is missing, the old names listed in
``taxonomy.md`` keep the resolver working without the national knowledge.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp._lazy import Lazy
from nlp.normalize import fold

logger = logging.getLogger(__name__)

HOME_DISTRICT = "Thành phố Tam Kỳ"
HOME_PROVINCES = frozenset({"quang nam", "da nang"})
WARD_NAMES: dict[str, str] = {
    "tam_ky": "Tam Kỳ",
    "quang_phu": "Quảng Phú",
    "ban_thach": "Bàn Thạch",
    "huong_tra": "Hương Trà",
}
# Used when the mapping file is unavailable, and for Phước Hòa, merged into
# An Xuân before 2025 and therefore absent from the mapping.
FALLBACK_OLD_NAMES: dict[str, str] = {
    "An Mỹ": "tam_ky", "An Xuân": "tam_ky", "Trường Xuân": "tam_ky", "Phước Hòa": "tam_ky",
    "An Phú": "quang_phu", "Tam Phú": "quang_phu", "Tam Thanh": "quang_phu",
    "Tân Thạnh": "ban_thach", "Hòa Thuận": "ban_thach", "Tam Thăng": "ban_thach",
    "An Sơn": "huong_tra", "Hòa Hương": "huong_tra", "Tam Ngọc": "huong_tra",
}  # fmt: skip
_UNIT_PREFIX = re.compile(
    r"^(phường|xã|thị trấn|đặc khu|quận|huyện|thị xã|thành phố|tỉnh)\s+", re.IGNORECASE
)

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlaceName:
    """A name that points to one of our wards."""

    code: str
    canonical: str  # spelling with diacritics, for the strict check; "" = any spelling
    via: str  # "new" | "old" | "local"
    ambiguous: bool  # the same name exists elsewhere in Vietnam


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Everything the resolver matches against: folded word tuple → spelling."""

    names: dict[Key, PlaceName]
    national: dict[Key, str]  # every other ward name in the country
    foreign: dict[Key, str]  # provinces outside Quảng Nam/Đà Nẵng
    districts: dict[Key, str]  # old district names other than Tam Kỳ
    max_len: int
    prefixes: frozenset[Key]  # every leading part of every key above


def prefixes(keys: Iterable[Key]) -> frozenset[Key]:
    """Every leading part of every key, so a scan stops extending a span that starts no name."""
    return frozenset(k[:j] for k in keys for j in range(1, len(k) + 1))


_WORD = re.compile(r"[^\W_]+")


def words(name: str) -> list[str]:
    """The words of a name, as typed ("Bà Rịa - Vũng Tàu" → Bà, Rịa, Vũng, Tàu)."""
    return _WORD.findall(name)


def key(name: str) -> Key:
    """Folded word tuple of a place name ("Hoà Thuận" → ("hoa", "thuan"))."""
    return tuple(fold(w) for w in words(name))


def bare_name(name: str) -> str:
    """Strip the unit word: "Phường An Mỹ" → "An Mỹ"."""
    return _UNIT_PREFIX.sub("", name.strip())


def mapping_path() -> Path | None:
    """Locate underthesea's mapping.json without importing underthesea (slow import)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "address" / "data" / "mapping.json"
    return path if path.is_file() else None


def _read_mapping() -> list[dict[str, Any]]:
    path = mapping_path()
    if path is None:
        logger.warning("underthesea address mapping not found; using the built-in old names")
        return []
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return list(data.get("ward_mapping", [])) + [
        {"province": p.get("short", "")}
        for table in ("province_names", "old_province_names")
        for p in data.get(table, {}).values()
    ]


def _home_names(records: list[dict[str, Any]]) -> dict[str, str]:
    """Old unit name → ward code for the former Tam Kỳ city."""
    found: dict[str, str] = dict(FALLBACK_OLD_NAMES)
    codes = {key(v): k for k, v in WARD_NAMES.items()}
    for rec in records:
        if rec.get("old_district") != HOME_DISTRICT or not rec.get("old_ward"):
            continue
        code = codes.get(key(bare_name(rec.get("new_ward", ""))))
        if code is not None:
            found[bare_name(rec["old_ward"])] = code
    return found


def _national(
    records: list[dict[str, Any]],
) -> tuple[dict[Key, str], dict[Key, str], dict[Key, str]]:
    """Ward names, provinces and districts of the rest of the country, with spellings."""
    wards: dict[Key, str] = {}
    provinces: dict[Key, str] = {}
    districts: dict[Key, str] = {}
    seen: dict[str, tuple[Key, str]] = {}  # the ~10,000 records repeat their names

    def spelled(name: str) -> tuple[Key, str]:
        found = seen.get(name)
        if found is None:
            typed = words(name)
            found = seen[name] = (tuple(fold(w) for w in typed), " ".join(typed))
        return found

    for rec in records:
        if "province" in rec:
            provinces.setdefault(*spelled(rec["province"]))
            continue
        if rec.get("old_district") == HOME_DISTRICT:
            continue
        for field in ("old_ward", "new_ward"):
            if rec.get(field):
                wards.setdefault(*spelled(bare_name(rec[field])))
        district_key, district = spelled(bare_name(rec.get("old_district", "")))
        if district_key and not district_key[0].isdigit():
            districts.setdefault(district_key, district)
    provinces = {k: v for k, v in provinces.items() if k and " ".join(k) not in HOME_PROVINCES}
    return wards, provinces, districts


def build(records: list[dict[str, Any]]) -> Gazetteer:
    """Build the gazetteer from mapping records (empty list → built-in names only)."""
    national, provinces, districts = _national(records)
    names: dict[Key, PlaceName] = {}
    for code, name in WARD_NAMES.items():
        names[key(name)] = PlaceName(code, name, "new", key(name) in national)
    for name, code in sorted(_home_names(records).items()):
        names.setdefault(key(name), PlaceName(code, name, "old", key(name) in national))
    for k, place in list(names.items()):
        joined = ("".join(k),)  # "anmy", "tamky": names typed without the space
        if len(k) > 1 and joined not in national and joined not in names:
            names[joined] = PlaceName(place.code, "", place.via, place.ambiguous)
    for k in names:
        districts.pop(k, None)
    return Gazetteer(
        names=names,
        national=national,
        foreign=provinces,
        districts=districts,
        max_len=max(len(k) for k in [*names, *national, *provinces]),
        prefixes=prefixes([*names, *national, *provinces, *districts]),
    )


GAZETTEER: Lazy[Gazetteer] = Lazy(lambda: build(_read_mapping()))
