"""What everyday messages ask for, by their form: rules on folded text, no model.

Citizens rarely use the bot's commands. They write "cho em rút đơn nha", "à e nhầm, Tam
Thăng chứ ko phải Tam Thanh", "thôi tôi rút lại đồng ý", "trả lời đi", "cho hỏi MTTQ
phường ở đâu". Each function here recognises one of those forms; the conversation decides
what the form means in its current step. Everything is pure and linear in the text.
"""

from __future__ import annotations

import re

from nlp.normalize import fold, normalize

EVERYDAY: tuple[str, ...] = (
    "withdraw_consent", "delete_data", "data_copy", "data_correct", "data_view",
    "withdraw_petition", "status_nudge", "correction",
)  # fmt: skip


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


_WITHDRAW_CONSENT = _rx(
    r"(?:rut|huy|thu hoi|bo|xoa|khong con)(?: lai)?(?: su)? dong y",
    r"khong (?:con )?dong y nua",
    r"khong muon (?:cho )?(?:luu|dung) (?:thong tin|du lieu)",
)
_DELETE_DATA = _rx(
    r"(?:xoa|xoa bo|xoa het|huy bo|go bo) (?:\w+ ){0,4}(?:thong tin|du lieu)",
    r"(?:thong tin|du lieu) (?:\w+ ){0,5}(?:xoa|xoa het|xoa di)",
)
# The resident's own data: "dữ liệu cá nhân", "thông tin của em", "những gì lưu về tôi".
# Ownership is what tells "xem thông tin của tôi" from a petition asking for "thông tin dự án".
_ME = r"(?:toi|em|minh|tui|t|e|con|chau)"
_OWN = r"ca nhan"
_MY_DATA = (
    rf"(?:(?:du lieu|dl|thong tin) {_OWN}"
    rf"|(?:du lieu|dl|thong tin) (?:{_OWN} )?(?:cua|ve) {_ME}"
    rf"|(?:du lieu|dl|thong tin) (?:\w+ ){{0,3}}(?:luu|giu) (?:\w+ ){{0,2}}?ve {_ME})"
)
_MY_FIELD = rf"(?:ho ten|ten|so dien thoai|dia chi|email) (?:(?:cua|ve) )?{_ME}"
_DATA_COPY = _rx(
    r"ban sao (?:\w+ ){0,3}(?:du lieu|dl|thong tin)",
    rf"(?:gui|cung cap|xin|lay|tai|xuat) (?:lai )?(?:cho {_ME} )?(?:(?:xin|lai) )?"
    rf"(?:(?:toan bo|tat ca|het|cac|nhung) ){{0,2}}{_MY_DATA}",
)
_DATA_CORRECT = _rx(
    r"(?:sua|chinh sua|cap nhat|doi|thay doi|dinh chinh) (?:lai )?(?:(?:giup|gium|dum) )?"
    rf"(?:{_ME} )?(?:{_MY_DATA}|{_MY_FIELD})",
    rf"(?:{_MY_FIELD}|{_MY_DATA}) (?:\w+ ){{0,2}}(?:bi )?(?:sai|nham|chua dung|khong dung)",
)
_DATA_VIEW = _rx(
    rf"(?:xem|kiem tra|coi|biet|tra cuu) (?:lai )?(?:(?:het|toan bo|cac|nhung) ){{0,2}}{_MY_DATA}",
    rf"(?:luu|giu) (?:nhung )?(?:gi|du lieu gi|thong tin gi) (?:\w+ )?ve {_ME}",
    rf"^(?:{_MY_DATA})$",
)
# Another register's data (VNeID, the residents' database, land records) is a petition
# about that register, not a request about what the Front keeps.
_OTHER_REGISTER = _rx(
    r"vneid", r"can cuoc", r"cccd", r"cmnd", r"dinh danh", r"ho khau", r"dan cu", r"bao hiem",
    r"bhyt", r"bhxh", r"so do", r"dat dai", r"ngan hang", r"ho so", r"don", r"phan anh",
)  # fmt: skip
_DATA_WORDS = 20  # a data request is short; a long message is content
_WITHDRAW = _rx(
    r"rut (?:lai )?(?:cai )?(?:don|phan anh|ho so|kien nghi|yeu cau|y kien)",
    r"huy (?:cai )?(?:don|phan anh|ho so|kien nghi|yeu cau)",
    r"khong can (?:\w+ ){0,2}(?:giai quyet|xu ly|phan anh) nua",
    r"xin rut",
)
_NUDGE = _rx(
    r"^(?:tra loi|rep|phan hoi|rep lai|tra loi lai)(?: \w+){0,2} (?:di|dum|giup|voi|nhanh)",
    r"^tra loi di",
    r"sao (?:\w+ ){0,3}(?:chua|khong|ko|k|chang) (?:thay |co )?(?:ai )?"
    r"(?:tra loi|phan hoi|rep|xu ly|giai quyet|hoi am)",
    r"(?:den|toi) dau roi",
    r"(?:xu ly|giai quyet) (?:toi|den) dau",
    r"co ai (?:doc|xem|tra loi)",
    r"(?:cho|doi) (?:\w+ ){0,3}lau (?:qua|the|vay)",
    r"bao gio (?:moi )?(?:co )?(?:tra loi|ket qua)",
)
_ABOUT_PETITION = _rx(r"ho so", r"don", r"phan anh", r"kien nghi", r"ma", r"tk")
_CORRECTION = _rx(
    r"nham",
    r"lon",
    r"nhap sai",
    r"go sai",
    r"viet sai",
    r"ghi sai",
    r"noi sai",
    r"chu (?:khong|ko|k|hong) phai",
    r"(?:sua|doi) lai (?:la|thanh)",
    r"dinh chinh",
    r"(?:khong|ko|k) phai (?:o )?(?:phuong|xa|khoi pho|thon)",
)
_QUESTION = _rx(
    r"^(?:cho (?:em |toi |minh |chau |tui |con |anh |chi )?hoi|xin hoi|hoi|em hoi|toi hoi)",
    r"o dau",
    r"(?:nhu )?the nao",
    r"bao nhieu",
    r"bao lau",
    r"may gio",
    r"khi nao",
    r"lam sao",
    r"(?:can|gom|nhung|mang) (?:\w+ ){0,2}giay to",
    r"giay to gi",
    r"thu tuc",
    r"sdt",
    r"so dien thoai",
    r"dia chi",
    r"duoc khong",
    r"co (?:\w+ ){0,5}(?:khong|ko|k) "
    r"(?:a|vay|nhi|ha|z|v)$",
    r"(?:lam|mo cua) (?:viec )?(?:thu|chu nhat)",
    r"o cho nao",
    r"lien he (?:ai|dau|the nao)",
    r"la gi",
    r"lam gi",
)
# Insults and swearing; folded forms that are insults in every reading.
_INSULT = _rx(
    r"dm+",
    r"dcm",
    r"dkm",
    r"vcl",
    r"vkl",
    r"clgt",
    r"dit(?: me)?",
    r"du ma",
    r"du me",
    r"me may",
    r"oc cho",
    r"thang ngu",
    r"do ngu",
    r"ngu nhu (?:bo|cho|lon)",
    r"an hai",
    r"do an hai",
    r"lu an hai",
    r"khon nan",
    r"cho ma",
    r"mat day",
    r"bo lao",
    r"lao toet",
    r"cut (?:di|me)",
    r"con me (?:may|no)",
    r"vo dung",
    r"an bam",
    r"do cho",
    r"lu cho",
    r"may thang",
    r"(?:chung|tui|bon) may",
)
_FILLER = frozenset(
    "a ah ak ơi oi may thang bon lu chung tui cac ong ba anh chi em toi tao no ho kia do "
    "nay vay the ma la thi cai con gi luon nhe nha di roi qua that lam".split()
)
# Not Vietnamese: English function words, and scripts Vietnamese does not use.
_ENGLISH = frozenset(
    "the a an is are am was were be i you he she we they my your our their this that there "
    "what where when how why who which can could would should will do does did have has "
    "please help hello hi thanks thank sorry want need to of in on at for with from about "
    "and or but not no yes it me him her them here road water street problem office".split()
)
_VIETNAMESE_ONLY = frozenset(
    "toi em anh chi ong ba khong ko duoc dc cua nha duong o bi da dang roi nhe a oi cho "
    "phuong xa thon nuoc dien xin chao cam on rac ngap hoi gi sao ma thi voi va la cac "
    "nhung mot hai ba nay kia do vi nen".split()
)
_FOREIGN_SCRIPT = re.compile(r"[\u0400-\u04ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _folded(text: str) -> str:
    return fold(normalize(text[:5_000])) if isinstance(text, str) else ""


def everyday(text: str) -> str | None:
    """The everyday request a message makes (one of ``EVERYDAY``), or None."""
    folded = _folded(text)
    if not folded:
        return None
    if _WITHDRAW_CONSENT.search(folded):
        return "withdraw_consent"
    if _DELETE_DATA.search(folded):
        return "delete_data"
    data = _data_request(folded)
    if data is not None:
        return data
    if _WITHDRAW.search(folded):
        return "withdraw_petition"
    if _NUDGE.search(folded) and _short_or_about_a_petition(folded):
        return "status_nudge"
    if len(folded.split()) <= 30 and _CORRECTION.search(folded):
        return "correction"
    return None


def _data_request(folded: str) -> str | None:
    """A copy, a correction or a look at the resident's own data; None for a petition."""
    if len(folded.split()) > _DATA_WORDS or _OTHER_REGISTER.search(folded):
        return None
    for kind, pattern in (
        ("data_correct", _DATA_CORRECT),
        ("data_copy", _DATA_COPY),
        ("data_view", _DATA_VIEW),
    ):
        if pattern.search(folded):
            return kind
    return None


def _short_or_about_a_petition(folded: str) -> bool:
    """ "sao chưa trả lời" is a nudge; "đường ngập, sao không ai xử lý" is a petition."""
    size = len(folded.split())
    return size <= 7 or (size <= 14 and bool(_ABOUT_PETITION.search(folded)))


def is_question(text: str) -> bool:
    """Whether the message is worded as a question (it may still be a complaint)."""
    folded = _folded(text)
    return bool(folded) and (text.strip().endswith("?") or bool(_QUESTION.search(folded)))


def insults(text: str) -> int:
    """How many insults or swear words the message holds."""
    return len(_INSULT.findall(_folded(text)))


def only_insults(text: str) -> bool:
    """Insults with next to nothing else: not content for a petition."""
    folded = _folded(text)
    if not _INSULT.search(folded):
        return False
    rest = [w for w in _INSULT.sub(" ", folded).split() if w not in _FILLER and w.isalpha()]
    return len(rest) < 5


def language(text: str) -> str:
    """ "vi", "en" (English) or "other" (a script Vietnamese does not use); "vi" when unsure."""
    if not isinstance(text, str) or not text.strip():
        return "vi"
    sample = text[:2_000]
    if len(_FOREIGN_SCRIPT.findall(sample)) >= 2:
        return "other"
    words = re.findall(r"[a-z']+", sample.lower())
    if len(words) < 3 or fold(sample) != sample.lower().strip() and not sample.isascii():
        return "vi"
    english = sum(w in _ENGLISH for w in words)
    vietnamese = sum(w in _VIETNAMESE_ONLY for w in words)
    mostly = english >= 2 and english >= 2 * vietnamese and english * 3 >= len(words)
    return "en" if mostly else "vi"
