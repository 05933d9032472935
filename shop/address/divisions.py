"""Vietnam's administrative units since 1 July 2025: 34 provinces and their communes/wards.

The data comes from the `vietnam-provinces` package (the General Statistics Office's codes, with
the two-level units of Resolution 202/2025/QH15). Codes are kept as the official zero-padded
strings: two digits for a province ("75" Đồng Nai), five for a commune/ward ("25222" Xã Bù Gia Mập).
"""

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, Ward


@dataclass(frozen=True)
class Division:
    code: str
    name: str


def province_code(value) -> str:
    return f"{int(value):02d}"


def ward_code(value) -> str:
    return f"{int(value):05d}"


def _sort_key(codename: str) -> str:
    # "phuong_bien_hoa" sorts as "bien_hoa": shoppers look a ward up by its name, not its kind.
    for prefix in ("phuong_", "xa_", "dac_khu_"):
        if codename.startswith(prefix):
            return codename[len(prefix) :]
    return codename


@cache
def _provinces() -> dict[str, Division]:
    ordered = sorted(Province.iter_all(), key=lambda p: p.codename)
    return {province_code(p.code): Division(province_code(p.code), p.name) for p in ordered}


@cache
def _wards() -> dict[str, tuple[str, Division]]:
    """Ward code -> (province code, ward)."""
    ordered = sorted(Ward.iter_all(), key=lambda w: _sort_key(w.codename))
    return {ward_code(w.code): (province_code(w.province_code), Division(ward_code(w.code), w.name)) for w in ordered}


@cache
def _wards_by_province() -> dict[str, list[Division]]:
    grouped: dict[str, list[Division]] = {code: [] for code in _provinces()}
    for parent, ward in _wards().values():
        grouped[parent].append(ward)
    return grouped


def provinces() -> list[Division]:
    """All provinces and centrally-run cities, by name."""
    return list(_provinces().values())


def get_province(code) -> Division | None:
    """The province with this code ("75" or 75), or None."""
    try:
        return _provinces().get(province_code(code))
    except (TypeError, ValueError):
        return None


def wards_of(code) -> list[Division]:
    """The communes, wards and special zones of a province, by name; empty for an unknown code."""
    province = get_province(code)
    return list(_wards_by_province()[province.code]) if province else []


def get_ward(code, province=None) -> Division | None:
    """The commune/ward with this code, or None; with `province`, only if it lies in that province."""
    try:
        found = _wards().get(ward_code(code))
    except (TypeError, ValueError):
        return None
    if found is None:
        return None
    parent, ward = found
    if province is not None:
        expected = get_province(province)
        if expected is None or expected.code != parent:
            return None
    return ward
