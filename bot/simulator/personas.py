"""Demo citizens and sample places the simulator offers (fictional)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    user_id: str
    name: str
    note: str


PERSONAS: tuple[Persona, ...] = (
    Persona("5100000000000000001", "Bà Năm", "khối phố An Xuân cũ, gõ không dấu"),
    Persona("5100000000000000002", "Anh Tuấn", "sinh viên, nhắn nhiều tin liền"),
    Persona("5100000000000000003", "Chú Ba", "thôn ở Tam Thăng cũ"),
    Persona("5100000000000000004", "Chị Hoa", "tiểu thương chợ Tam Kỳ"),
)


@dataclass(frozen=True)
class SampleLocation:
    label: str
    lat: float
    lng: float


SAMPLE_LOCATIONS: tuple[SampleLocation, ...] = (
    SampleLocation("Chợ Tam Kỳ", 15.5736, 108.4740),
    SampleLocation("Cầu Tam Kỳ (Hương Trà)", 15.5870, 108.4830),
    SampleLocation("Khu công nghiệp Tam Thăng", 15.5580, 108.5210),
)
