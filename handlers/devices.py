"""How a signed-in browser is shown to its owner: a short browser/OS name and a partly hidden
address. The owner needs to recognise their own devices, not read a raw user-agent string;
the full address stays in the audit log for whoever investigates."""

from __future__ import annotations

import ipaddress
import re

#: (pattern, name), first match wins: in-app and Chromium-based browsers name themselves
#: before the "Chrome"/"Safari" tokens they also carry.
_BROWSERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (r"\bZalo(?:Theme|/)", "Zalo"),
        (r"\bcoc_coc_browser/|\bCocCoc/", "Cốc Cốc"),
        (r"\bEdg(?:e|A|iOS)?/", "Edge"),
        (r"\bOPR/|\bOpera/", "Opera"),
        (r"\bSamsungBrowser/", "Samsung Internet"),
        (r"\bFirefox/|\bFxiOS/", "Firefox"),
        (r"Chrom(?:e|ium)/|\bCriOS/", "Chrome"),  # also HeadlessChrome
        (r"\bSafari/", "Safari"),
    )
)
_SYSTEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (r"\bAndroid\b", "Android"),
        (r"\biPhone\b|\biPod\b", "iPhone"),
        (r"\biPad\b", "iPad"),
        (r"\bWindows\b", "Windows"),
        (r"\bMac OS X\b|\bMacintosh\b", "macOS"),
        (r"\bCrOS\b", "ChromeOS"),
        (r"\bLinux\b", "Linux"),
    )
)


def _first(table: tuple[tuple[re.Pattern[str], str], ...], agent: str) -> str | None:
    return next((name for pattern, name in table if pattern.search(agent)), None)


def describe_agent(agent: str | None) -> str:
    """«Chrome trên Windows», «Zalo trên Android»; «Trình duyệt không rõ» when unrecognised."""
    agent = agent or ""
    browser, system = _first(_BROWSERS, agent), _first(_SYSTEMS, agent)
    if browser and system:
        return f"{browser} trên {system}"
    if browser or system:
        return browser or f"Trình duyệt trên {system}"
    return "Trình duyệt không rõ"


def mask_address(address: str | None) -> str:
    """The network part only: 203.0.113.x, 2001:db8:85a3:…; '—' when unknown."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "—"
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".x"
    return ":".join(f"{int(group, 16):x}" for group in ip.exploded.split(":")[:3]) + ":…"
