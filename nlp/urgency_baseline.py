"""The urgency rules as they stood before the emergency corpus: the evaluation's baseline.

Frozen on purpose: `python -m nlp emergency` prints its recall and precision beside the
current detector's (nlp/urgency.py), so a change is always measured against it. Never used
by the product.

Original description: spot petitions where life, health or property is in immediate danger.

Rules, not the classifier: an urgent petition must never wait for a model that
saw few fires.  A petition is urgent when it names a hazard that is urgent by
itself (a fire, someone trapped, water up to the chest), or a hazard (collapse,
live wire, flood, violence, poisoning...) together with a sign that it is
happening now (đang, vừa, ngay, bất cứ lúc nào, sáng nay) in the same or the
next sentence.  Formula words ("khẩn trương đề nghị", "khẩn cấp xem xét") are
not such signs, and a sentence that is chronic ("mỗi khi mưa"), hypothetical
("nếu"), preventive ("phòng cháy", "kè chống sạt lở") or past ("năm 2020")
does not count.

Text typed without diacritics is matched with folded patterns; where folding
makes a word ambiguous (cháy/chạy → "chay", sập/sắp/sáp → "sap", rơi/rồi →
"roi") the folded pattern asks for more context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.normalize import fold, has_diacritics_mostly, normalize


@dataclass(frozen=True, slots=True)
class Urgency:
    """Whether to flag the petition, and which hazards made us say so."""

    urgent: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Cue:
    reason: str
    accented: re.Pattern[str]
    folded: re.Pattern[str]

    def search(self, sentence: str, accented: bool) -> bool:
        return (self.accented if accented else self.folded).search(sentence) is not None


def _cue(reason: str, accented: str, folded: str | None = None) -> _Cue:
    """Compile a cue; the folded twin defaults to the accented pattern without diacritics."""
    source = folded if folded is not None else fold(accented)
    return _Cue(reason, re.compile(rf"\b(?:{accented})\b"), re.compile(rf"\b(?:{source})\b"))


_DEPTH = r"(?:gần |hơn |khoảng |trên |tới |đến )?(?:0[,.][5-9]|[1-9](?:[,.]\d)?) ?(?:m|mét)"

# Urgent on their own.
_STRONG: tuple[_Cue, ...] = (
    _cue("fire", r"đám cháy|bốc cháy|hỏa hoạn|cháy (?:lớn|dữ dội|ngùn ngụt)|lửa bốc"),
    _cue("electric", r"điện giật|giật điện(?! thoại)"),  # not "giật điện thoại" (phone snatching)
    _cue(
        "flood",
        r"lũ (?:cuốn|quét)|"
        r"ngập (?:sâu )?(?:tới|đến|ngang|quá) (?:cổ|ngực|nóc|mái|bụng|đầu(?! gối))|"
        rf"ngập (?:sâu )?{_DEPTH}|phải (?:dùng|đi(?: bằng)?) (?:ghe|thuyền|xuồng|ca nô)",
    ),
    _cue("trapped", r"mắc kẹt|bị kẹt (?:lại|trong)|bị cô lập|cứu (?:với|tôi|em|con|cháu)"),
    _cue("violence", r"đâm chém|nổ súng|bắt cóc|hỗn chiến"),
    _cue(
        "medical",
        r"ngộ độc (?:tập thể|hàng loạt)|bất tỉnh|hôn mê|co giật|đuối nước|chết đuối|ngưng thở|"
        r"ngừng thở|đột quỵ",
    ),
    _cue("gas", r"rò (?:rỉ )?(?:khí )?(?:gas|ga|khí độc|hóa chất)|xì (?:gas|ga)"),
)

# Urgent when the same or the next sentence says it is happening now.
_HAZARDS: tuple[_Cue, ...] = (
    _cue(
        "fire",
        r"(?<!bóng )(?<!đèn )cháy|khói (?:đen|mù|dày|bốc|nghi ngút)|lửa|tia lửa",
        r"(?:nha|phong|xuong|quan|cho|kho|tiem|bep|rung|tram) (?:dang |bi )?chay|"
        r"khoi (?:den|mu|day|boc|nghi ngut)|lua (?:boc|chay|lan|dang)|tia lua",
    ),
    _cue(
        "collapse",
        r"sập|sụp|đổ sập|đổ xuống|có thể đổ|sắp đổ|nghiêng (?:hẳn|sắp|chực|hẳn về|ra)|"
        r"gãy đổ|ngã đổ|rơi (?:xuống|vỡ|vụn|một mảng|từng mảng)|lung lay|lắc lư|sạt lở|sạt|"
        r"sụt (?:lún|thành|một|xuống)|hố sâu|đá (?:lăn|rơi|tảng)|"
        r"đất đá (?:tràn|lăn|rơi|sạt|trôi|đổ)|nứt toác|võng xuống",
        r"sap (?:xuong|mot|ca|roi|hoan toan|sap)|(?:da|bi|dang|vua) sap|sup|do sap|do xuong|"
        r"co the do|sap do|nghieng (?:han|sap|chuc|ra)|gay do|nga do|roi (?:xuong|vo|vun|mot mang)|"
        r"lung lay|lac lu|sat lo|sut (?:lun|thanh|mot|xuong)|ho sau|da (?:lan|tang)|"
        r"dat da (?:tran|lan|roi|sat|troi|do)|nut toac|vong xuong",
    ),
    _cue(
        "electric",
        r"dây điện|rò điện|chập điện|tóe lửa|trạm biến áp|cột điện (?:nghiêng|đổ|gãy)",
    ),
    _cue(
        "flood",
        r"lũ|nước (?:lũ )?(?:dâng|lên) (?:cao|nhanh|nhanh chóng)|nước dâng|chảy xiết|ngập sâu|"
        r"cuốn trôi|nước cuốn|vỡ (?:đê|đập|bờ bao)|tràn (?:đê|đập)",
        r"nuoc lu|lu (?:dang|len|ve|cuon|quet)|nuoc (?:lu )?(?:dang|len) (?:cao|nhanh)|nuoc dang|"
        r"chay xiet|ngap sau|cuon troi|nuoc cuon|vo (?:de|dap|bo bao)|tran (?:de|dap)",
    ),
    _cue(
        "accident",
        r"lật (?:xe|ngang|nhào|úp|thuyền|ghe|tàu)|bị lật|lọt xuống|"
        r"rơi xuống (?:hố|sông|nước|mương)|"
        r"tai nạn|bị thương(?! lái)|tràn dầu|bị kẹt|trôi dạt|sóng đánh|bị đắm|chìm|"
        r"tràn xăng|xăng tràn|giật tung|bay (?:xuống|tứ tung|tán loạn)|lơ lửng|răng rắc|rắc rắc|"
        r"dẫm lên|giẫm đạp|xô đẩy",
        r"lat (?:xe|ngang|nhao|up|thuyen|ghe|tau)|bi lat|lot xuong|"
        r"roi xuong (?:ho|song|nuoc|muong)|"
        r"tai nan|bi thuong(?! lai)|tran dau|bi ket|troi dat|song danh|bi dam|bi chim|tau chim|"
        r"tran xang|xang tran|giat tung|bay (?:xuong|tu tung|tan loan)|lo lung|rang rac|rac rac|"
        r"dam len|giam dap|xo day",
    ),
    _cue(
        "violence",
        r"đánh nhau|đánh người|đánh đập|ẩu đả|hành hung|(?:đe )?dọa (?:giết|đánh|chém|đốt)|"
        r"cầm (?:dao|mã tấu|kiếm|hung khí|gậy|súng)|vác (?:dao|mã tấu)|đâm|chém|đập phá|"
        r"ủi (?:nhà|hàng rào|tường)|(?:bắt|dắt|dẫn|đón) (?:\w+ )?(?:cháu|bé|trẻ) đi|"
        r"đánh hội đồng|đánh (?:vợ|chồng|con)|bạo hành|đập cửa|nhốt|ném (?:chai|đá|gạch)|"
        r"đột nhập|cạy cửa|chảy máu|bể đầu|vỡ đầu",
        r"danh nhau|danh nguoi|danh dap|au da|hanh hung|(?:de )?doa (?:giet|danh|chem|dot)|"
        r"cam (?:dao|ma tau|kiem|hung khi|gay|sung)|vac (?:dao|ma tau)|dam (?:nguoi|chet)|chem|"
        r"dap pha|ui (?:nha|hang rao|tuong)|(?:bat|dat|dan|don) (?:\w+ )?(?:chau|be|tre) di|"
        r"danh hoi dong|danh (?:vo|chong|con)|bao hanh|dap cua|nhot (?:me|con|nguoi|chau)|"
        r"nem (?:chai|da|gach)|"
        r"dot nhap|cay cua|chay mau|be dau|vo dau",  # not "nhot": also nhớt (oil)
    ),
    _cue(
        "medical",
        r"ngộ độc|nôn (?:mửa|ói)|ói mửa|ngất|khó thở|(?:chảy|mất) (?:nhiều )?máu|ra nhiều máu|"
        r"lên cơn|chó dại|sốt cao|chuyển dạ|tím tái|lịm đi|mất nước nặng|xỉu|mê man|thở yếu|"
        r"nằm liệt|ốm nặng|"
        r"(?:cần|gọi) (?:xe )?cấp cứu",
        r"ngo doc|non (?:mua|oi)|oi mua|ngat xiu|(?:bi|co em|co nguoi|co chau) ngat|kho tho|"
        r"(?:chay|ra|mat) nhieu mau|len con|cho dai|sot cao|chuyen da|tim tai|lim di|bi xiu|"
        r"me man|tho yeu|nam liet|om nang|"
        r"mat nuoc nang|(?:can|goi) (?:xe )?cap cuu",
    ),
    _cue("explosion", r"nổ|phát nổ", r"phat no|(?:tieng|vu) no|no (?:tung|lon|bung)"),
)

_NOW = _cue(
    "now",
    r"đang|vừa(?! rồi| qua)|ngay(?=\s*,|$)|ngay (?:lập tức|bây giờ|lúc này|trong đêm|đi)|"
    r"gấp|liền|bất cứ lúc nào|lúc này|bây giờ|giờ này|(?:sáng|trưa|chiều|tối|đêm) nay|hôm nay|"
    r"sắp(?! tới mùa| đến mùa| tới đây| tới ngày| đến ngày| tết)|cứu(?! trợ| tế| đói)|cứu hộ|"
    r"nguy hiểm đến tính mạng|suýt|may (?:mà|là|sao)",
    r"dang|vua(?! roi| qua)|ngay(?=\s*,|$)|ngay (?:lap tuc|bay gio|luc nay|trong dem|di)|"
    r"gap(?: lam)?$|can gap|xu ly gap|lien$|bat cu luc nao|luc nay|bay gio|gio nay|"
    r"(?:sang|trua|chieu|toi|dem) nay|hom nay|sap (?:sap|toi|den|do|vo|sup|nga|roi)|"
    r"cuu (?:voi|giup|nguoi|ho)|"
    r"nguy hiem den tinh mang|suyt|may (?:ma|la|sao)",
)
# A hazard in a sentence like these is chronic, hypothetical, preventive or over.
_NOT_NOW = _cue(
    "not_now",
    r"nếu|lỡ|giả sử|đề phòng|phòng ngừa|phòng chống|phòng cháy|chữa cháy|pccc|chống sạt lở|"
    r"(?:xây|làm|đầu tư|xây dựng) (?:bờ )?kè|diễn tập|tập huấn|tuyên truyền|"
    r"mỗi (?:khi|lần|năm|mùa|đợt|trận)|mùa (?:mưa|lũ)|hằng năm|hàng năm|thường xuyên|hễ|"
    r"cứ (?:mưa|đến|mỗi)|năm (?:ngoái|trước|rồi|19\d\d|20[01]\d|202[0-4])|"
    r"trước đây|(?:tháng|tuần|hôm) trước|đã (?:được )?khắc phục|nguy cơ cháy nổ|khi có sự cố|"
    r"mất hết (?:tài sản|đồ đạc)|ở nhờ|cứu đói|sau (?:lũ|bão|đợt lũ|trận lũ|vụ cháy)|"
    r"đợt lũ vừa|biết ơn",
    # folded: without "lỡ" (= lở in sạt lở), "kè" (= kẻ, kế) and "hễ" (= hệ thống)
    r"neu|gia su|de phong|phong ngua|phong chong|phong chay|chua chay|pccc|chong sat lo|"
    r"(?:xay|lam|dau tu|xay dung) (?:bo )?ke|dien tap|tap huan|tuyen truyen|"
    r"moi (?:khi|lan|nam|mua|dot|tran)|mua (?:mua|lu)|hang nam|thuong xuyen|"
    r"cu (?:mua|den|moi)|nam (?:ngoai|truoc|roi|19\d\d|20[01]\d|202[0-4])|"
    r"truoc day|(?:thang|tuan|hom) truoc|da (?:duoc )?khac phuc|nguy co chay no|khi co su co|"
    r"mat het (?:tai san|do dac)|o nho|cuu doi|sau (?:lu|bao|dot lu|tran lu|vu chay)|"
    r"dot lu vua|biet on",
)
_SENTENCE_END = re.compile(r"[.!?;]+(?:\s+|$)|\n")
# Folded words that would read as a cue: "sáp nhập" is not "sập", "đăng ký" is not "đang".
_FOLDED_FIXES = re.compile(r"\b(sap) (nhap)\b|\b(dang) (ky|vien|uy|bo|tai|tin|nhap)\b")


def _join(match: re.Match[str]) -> str:
    return "".join(g for g in match.groups() if g)


def _reasons(sentences: list[str], accented: bool) -> dict[str, None]:
    """Hazards of each live sentence, urgent alone or with a 'now' cue nearby."""
    live = [not _NOT_NOW.search(s, accented) for s in sentences]
    now = [ok and _NOW.search(s, accented) for s, ok in zip(sentences, live, strict=True)]
    found: dict[str, None] = {}
    for i, sentence in enumerate(sentences):
        if not live[i]:
            continue
        for cue in _STRONG:
            if cue.search(sentence, accented):
                found.setdefault(cue.reason, None)
        if now[i] or (i + 1 < len(now) and now[i + 1]):
            for cue in _HAZARDS:
                if cue.search(sentence, accented):
                    found.setdefault(cue.reason, None)
    return found


def detect(text: str) -> Urgency:
    """Return whether ``text`` reports an immediate danger, with the hazards found."""
    if not isinstance(text, str) or not text.strip():
        return Urgency(False)
    clean = normalize(text[:20_000]).lower()
    accented = has_diacritics_mostly(text[:20_000])
    view = clean if accented else _FOLDED_FIXES.sub(_join, fold(clean))
    sentences = [s for s in _SENTENCE_END.split(view) if s and s.strip()]
    reasons = _reasons(sentences, accented)
    return Urgency(bool(reasons), tuple(reasons))
