"""What a Zalo message is for: a petition, or one of the bot's small conversations.

Rules answer what must never be wrong or is plain from its form: a tracking
code ("TRA TK-2611-000123") is a status look-up, a short "đồng ý"/"không
đồng ý" is a consent answer, insults are abuse, links with sales talk are
spam, a bare greeting or thanks is what it says.  Everything else goes to the
intent model trained on nlp/data/dialogue.jsonl plus the petitions; a long
message the model is unsure about is treated as a petition, because losing a
petition costs more than asking a needless question.
"""

from __future__ import annotations

import re

from nlp import everyday, registry
from nlp.features import extract
from nlp.normalize import fold, normalize

INTENTS: tuple[str, ...] = (
    "petition", "greeting", "thanks", "bot_question", "status_lookup", "spam", "abuse",
    "smalltalk", "consent_yes", "consent_no", "withdraw_consent",
)  # fmt: skip
TRACKING_CODE = re.compile(r"\b([A-Za-z]{2,4})\s*-\s*(\d{4})\s*-\s*(\d{3,8})\b")
_LOOKUP_WORD = re.compile(r"^\s*(?:tra(?: cuu)?|kiem tra|xem|ma)\b")
_CONSENT_NO = re.compile(
    r"^(?:da |vang |toi |em |minh )?(?:khong(?: dong y| chiu| muon| can)?|ko|k|tu choi|"
    r"khong a|thoi khong|khong dong y dau|chua dong y|huy)\W*$"
)
_CONSENT_YES = re.compile(
    r"^(?:da |vang |toi |em |minh |oke? |ok )?(?:dong y|co|ok|oke|okie|vang|u|uh|dong y a|"
    r"toi dong y|dong y nhe|chap nhan|co dong y|yes|dong y cung cap)\W*(?:a|nhe|nha)?\W*$"
)
_GREETING = re.compile(
    r"^(?:xin chao|chao|hello|helo|hi|alo|a lo|chao ban|chao ad|chao admin|chao mat tran)"
    r"(?: (?:ban|ad|admin|anh|chi|em|moi nguoi|bot|mat tran|ca nha))?\W*(?:a|nhe)?\W*$"
)
_THANKS = re.compile(
    r"^(?:(?:xin |rat |chan thanh )?cam on|cam on nhieu|thanks?|tks|thx|ok cam on)"
    r"[\w\s]{0,25}\W*$"
)
# Only words that are insults in every reading once folded: "lon" is also "lớn",
# "cut" is "cụt", "con cho" is a dog, "bo may" is "bộ máy".
_ABUSE = re.compile(
    r"\b(?:dm|dmm|dcm|dkm|vcl|vkl|clgt|dit me|dit|du ma|du me|me may|oc cho|thang ngu|do ngu|"
    r"ngu nhu (?:bo|cho|lon)|an hai|do an hai)\b"
)
_LINK = re.compile(r"https?://|www\.|bit\.ly|\b[a-z0-9-]+\.(?:com|vn|net|xyz|top|info|shop)\b")
_PROMO = re.compile(
    r"\b(?:khuyen mai|giam gia|vay tien|vay nhanh|giai ngan|lai suat thap|kiem tien|casino|"
    r"ca cuoc|nha cai|tuyen cong tac vien|tuyen dung|inbox|lien he ngay|click|dang ky ngay|"
    r"trung thuong|nhan qua|uu dai|mien phi|sale|xa kho|chot don|hoa hong|bao hanh|"
    r"lap dat tan noi|giao hang|gia re|thu nhap|xac minh tai|bi khoa|so du|ship)\b"
)
_PETITION_WORDS = 12  # longer than this and unsure → petition
# Labels that act on the citizen, taken from the model only when it is sure: an unsure
# "abuse" ("dùng nội dung đó" shares "dụng" with "vô dụng") would warn and flag a polite
# resident, and consent must be given plainly (the rules read every plain answer).
_SURE_ONLY = {"abuse": 0.6, "consent_yes": 0.8, "consent_no": 0.8, "withdraw_consent": 0.8}


def _rules(folded: str) -> str | None:
    """The intent the message's form makes certain, or None."""
    if TRACKING_CODE.search(folded) and (_LOOKUP_WORD.search(folded) or len(folded) < 40):
        return "status_lookup"
    if everyday.everyday(folded) == "withdraw_consent":  # never read as a "đồng ý"
        return "withdraw_consent"
    if _ABUSE.search(folded) and len(folded.split()) <= 10:  # an angry petition stays one
        return "abuse"
    short = len(folded.split()) <= 6
    for intent, pattern in (
        ("consent_no", _CONSENT_NO),
        ("consent_yes", _CONSENT_YES),
        ("greeting", _GREETING),
        ("thanks", _THANKS),
    ):
        if short and pattern.search(folded):
            return intent
    promos = len(_PROMO.findall(folded))
    if promos >= 2 or (promos and _LINK.search(folded)):
        return "spam"
    return None


def _model(text: str, folded: str) -> str:
    model = registry.bundle().intent
    if model is None:
        return "petition" if len(folded.split()) > 3 else "smalltalk"
    label, probability = model.proba(extract(text, model.config))[0]
    if label != "petition" and probability < 0.6 and len(folded.split()) > _PETITION_WORDS:
        return "petition"
    if probability < _SURE_ONLY.get(label, 0.0):
        return "petition" if len(folded.split()) > 3 else "smalltalk"
    return label


def detect(text: str) -> str:
    """Return one of ``INTENTS`` for a message; empty or unreadable → smalltalk."""
    if not isinstance(text, str):
        return "smalltalk"
    folded = fold(normalize(text[:5_000]))
    if not re.search(r"\w", folded):
        return "smalltalk"
    return _rules(folded) or _model(text, folded)
