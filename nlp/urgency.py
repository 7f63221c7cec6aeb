"""Spot messages that report an immediate danger to life, health or homes.

Rules, not the classifier: an emergency must never wait for a model that saw
few fires, and a rule can be read by the staff who rely on it.  The text is
normalised (teencode expanded), folded to plain letters and split into
sentences.  In each sentence we look for

- **acute** cues, dangerous by themselves: a fire burning, a live wire on the
  ground, someone electrocuted, trapped, drowning, unconscious, bleeding, a
  child lost, a gas leak, a knife or a beating in progress, a landslide...;
- **hazard** cues that are dangerous only when happening now: smoke, water
  rising, a tree or a wall leaning, a fight, an accident;
- **time**: a sign it is happening now (đang, vừa, rồi!, cứu với, gấp, từ
  sáng...) or a sign it is over, chronic, a long-term risk, a question or a
  proposal (tuần trước, mỗi khi mưa, nguy cơ, nếu, cho hỏi, đề nghị lắp...).

A sentence is urgent when it has an acute cue and does not speak of the past,
the chronic or the hypothetical, or a hazard cue and a "now" sign in it or
next to it.  Words that fold to a hazard but mean something else ("bóng đèn
bị cháy", "cháy hàng", "giật điện thoại", "sáp nhập") are removed first.

Where folding makes words collide (cháy/chạy, lửa/lúa, đổ/đồ, sạt/sát,
rơi/rồi), text typed with diacritics keeps them apart: the colliding words
that do not mean danger are rewritten before folding.

The rules miss new wording (0.68–0.84 recall on each fresh file), so when they find nothing a
learned model (nlp/emergency_model.py) reading the same view may still raise the alarm, with
the generic reason "danger"; the rules alone stay available as ``rules()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp import emergency_model
from nlp.normalize import fold, has_diacritics_mostly, normalize


@dataclass(frozen=True, slots=True)
class Urgency:
    """Whether to flag the message, and which hazards made us say so."""

    urgent: bool
    reasons: tuple[str, ...] = ()


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


# fmt: off
# Accented words that fold onto a danger word but mean something harmless.
_HARMLESS_ACCENTED = {
    "chạy": "chayy", "lúa": "luaa", "sát": "satt", "rồi": "roii", "đồ": "doo", "đỏ": "doo",
    "đó": "doo", "độ": "doo", "do": "doo", "màu": "mauu", "mẫu": "mauu", "mau": "mauu",
    "dâng": "daang",
    "có": "coo", "cỏ": "coo", "cơ": "coww", "đăng": "dangg", "bong": "bongg", "bóng": "bongg",
    "diện": "dienn", "giặt": "giatt", "khỏi": "khoii", "lỡ": "loo", "nợ": "noo", "no": "noo",
    "đầm": "damm", "dâm": "damm", "sắp": "sapp", "té": "te", "lửa": "lua",
}
_ACCENTED_WORD = re.compile(r"[^\W\d_]+")
# Bare words the shared teencode table expands in a way that misleads these rules when
# typed without diacritics: "ca" is mostly "cả" (not "công an"), "ty" is "công ty" (not
# "cảm ơn", which reads as a thank-you for something over).
_KEEP_BARE = re.compile(r"\b(ca|ty)\b", re.IGNORECASE)
_KEPT = re.compile(r"\b(ca|ty)qqx\b")

# Phrases whose words look like hazards but are not (matched on the folded view).
_NOT_HAZARD = _rx(
    r"(?:bongg?|den|quat|motor|noi com(?: dien)?|tu lanh|ti vi|tivi|cau chi)"
    r"(?: (?!boc)\w+){0,4} (?:bi |da )?chay(?! (?:nha|lan|lon|ngun|du|roi))",
    r"chay (?:hang|tui|da|nang|bong|motor|cau chi|het hang|ve)", r"nang chay", r"nhu muon danh",
    r"giat (?:dien thoai|tui|hui|do|giu)", r"sap nhap", r"dang (?:ky|vien|uy|bo)",
    r"phong (?:chay|chong|ngua)(?: chua chay)?", r"chua chay", r"pccc", r"cuu (?:tro|te|doi)",
    r"chong (?:sat lo|chay|lu|duoi nuoc)", r"(?:ke|bo ke) chong", r"doi no", r"no luc",
    r"gia (?:gas|ga|xang|dien)", r"hoa don", r"dien (?:ap|luc|chap chon)", r"mat dien",
    r"cat dien", r"cup (?:dien|nuoc)", r"ngap nhe", r"nuoc (?:dang )?(?:cup|duc)", r"mat nuoc",
    r"cham soc", r"(?:ma|so) cap cuu", r"day (?:dien )?thoai", r"day cap(?! dien)",
    r"chay (?:xe om|grab|taxi|xe (?:thue|dich vu|khach|hang|cho|ba gac)|bo|tiec|show|viec)",
    r"chay het minh", r"chay (?:het )?(?:tien|ve)",
    r"dien thoai (?:\w+ ){0,2}(?:roi|rot|te|nga) xuong (?:nuoc|ao|ho|song|gieng|muong)",
    r"sat (?:vach|ben|canh|nach)",
    r"sapp? nguon", r"(?:cong|trang|web|website|he thong|mang|app|ung dung|may chu) "
    r"(?:\w+ ){0,3}(?:bi |dang )?sapp?", r"chay (?:san|deadline)",
    r"dap (?:bo |pha )?(?:nha|tuong) (?:\w+ ){0,2}(?:de )?xay", r"no (?:may|xe|lop xe)",
    r"(?:nhac|loa|karaoke|hat)(?: \w+){0,5} no tung",
    r"(?:gia|vang|thi truong|bat dong san|dat) (?:\w+ ){0,2}no tung",
    r"cau (?:trom )?dien(?: \w+){0,4}",
    r"(?:chua|khong) (?:ai )?(?:co )?(?:bi )?(?:danh nhau|au da|xo xat|bi thuong)",
    r"(?:day|hoc|lop|tap huan|cach|biet) so cuu(?: \w+){0,4}",
)

# --- acute cues: dangerous in themselves ------------------------------------------
_ACUTE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "fire",
        _rx(
            r"dang boc chay", r"(?:boc|bung|bat) chay", r"dam chay", r"hoa hoan",
            r"chay (?:roi|roii)",
            r"chay (?:nha|xuong|cho|kho|quan|bep|rung|tiem|xe|phong|lon|du doi|ngun ngut)",
            r"(?:nha|xuong|kho|quan|tiem|cho|phong|rung|doi keo|doi|bep) (?:\w+ ){0,4}"
            r"(?:dang |bi |da )?(?:boc )?chay(?! (?:hang|tui|bong|motor))", r"coo? chay",
            r"lua (?:boc|bung|chay|lan|ben|to|dang|sat|trum|phut|phun|liem)", r"phat lua",
            r"(?:lan|ben) lua",
            r"khoi (?:den|boc|mu|nghi ngut|day dac)", r"boc khoi(?! hoi)", r"chay chap dien",
            r"khoi (?:\w+ ){0,2}den (?:troi|kit|ca)",
            r"khoi (?:\w+ ){0,8}(?:boc|tuon) (?:len |ra )?(?:mu mit|cuon cuon|nghi ngut)",
            r"chay lan (?:vo|vao|sang|qua|ra)", r"chay,? chay", r"ngon lua", r"bat lua",
            r"khoi (?:day|kin|trum) (?:phong|nha|can|cau thang|hanh lang)",
            r"chay (?:\w+ ){0,3}(?:o|tai|trong) (?:cho|nha|kho|xuong|can ho|phong|quan)",
            r"(?:xe|o to|oto) (?:\w+ ){0,3}(?:boc chay|bi chay|chay rui)",
        ),
    ),
    (
        "electric",
        _rx(
            r"(?:bi )?dien giat", r"(?:bi )?giat dien", r"(?:cham|dung) vao (?:\w+ ){0,3}bi giat",
            r"(?:mai ton|tuong|hang rao|cua sat|vo may|vo tu) (?:\w+ )?(?:bi |co |nhiem )dien",
            r"cham vao (?:\w+ ){0,2}te",
            r"bi giat(?! (?:do|tui|hui))",
            r"day dien (?:\w+ ){0,3}(?:dut|roi|cham|vong (?:satt?|thap)|nam|toe|xet|do|ro|rot)",
            r"(?:toe|xet|xec) (?:lua|dien)", r"ro dien",
            r"day (?:trung|cao|ha) the (?:\w+ ){0,3}(?:dut|roi|cham|vong|nam|toe|xet|rot)",
            r"dut day (?:dien|trung the|cao the)",
            r"chap (?:dien|no)", r"(?:o cam|o dien|cau dao|cong to) (?:\w+ ){0,3}(?:ngap|chim)",
            r"cot dien (?:\w+ ){0,3}(?:do|nga|gay|nghieng han|sap do)",
            r"(?:tram bien ap|tu dien|tram dien) (?:\w+ ){0,3}(?:no|chay|chap)", r"te tay",
            r"(?:tru|cot) den (?:\w+ ){0,3}(?:do|nga) (?:vao|xuong|de)",
            r"(?:cay|canh|nhanh) (?:\w+ ){0,6}(?:do|nga|gay|roi|de|dong) (?:len|vao|trung|xuong) "
            r"(?:\w+ ){0,2}day (?:dien|trung the|cao the|ha the)",
            r"(?:tru|cot) (?:dien|den) (?:\w+ ){0,4}(?:chay|no|toe lua|xet lua|phat lua)",
            r"(?:bi )?dien giat (?:\w+ ){0,2}(?:dinh|ngat|bat tinh|nam)",
        ),
    ),
    (
        "trapped",
        _rx(
            r"ket tren (?:tang|lau|mai|noc|gac)",
            r"ket (?:\w+ ){0,2}(?:khong|chua) ra (?:duoc|noi)",
            r"(?:nguoi|ai) (?:\w+ ){0,2}duoi gam", r"ket (?:duoi )?gam", r"mac ket",
            r"(?:bi )?ket (?:trong|ben (?:trong|duoi)|lai|duoi|dau|o (?:trong|duoi))",
            r"co lap", r"thang may (?:\w+ ){0,3}ket", r"ket (?:chan|tay)",
            r"ket giua (?:\w+ )?(?:tang|dong|song)",
            r"bi (?:nuoc )?bao vay", r"(?:nguoi|ai|cong nhan|tai xe|chau|be) (?:\w+ ){0,2}bi vui",
            r"vui (?:lap|mot|nguoi)", r"roi xuong gieng", r"ket ben trong",
            r"(?:bi )?(?:khoa|nhot|bo quen) (?:\w+ )?trong (?:xe|o to|oto|cabin)",
        ),
    ),
    (
        "flood",
        _rx(
            r"ngap (?:\w+ ){0,3}(?:toi|den|ngang|qua|vao) (?:nua )?"
            r"(?:nguc|co|noc|mai|dau(?! goi)|bung|giuong|ban tho|cua so|tu|ban)",
            r"chua (?:\w+ )?(?:so tan|di doi|ra|thoat) (?:duoc|kip)",
            r"(?:ai|can|xin) (?:\w+ ){0,2}(?:thuyen|ghe|xuong|ca no|phao)(?: \w+){0,3} "
            r"(?:qua|vao|toi|den|ra) (?:giup|cuu|cho|dua|cho)",
            r"ngap sau (?:vao|trong) nha", r"(?:lu|nuoc) (?:cuon|quet)(?: troi)?", r"lu quet",
            r"(?:nuoc|lu) (?:\w+ ){0,3}(?:tran|vao) (?:toi |den )?(?:nha|giuong|xom)",
            r"vo (?:de|dap|bo bao|de bao)", r"de bao vo", r"leo len (?:noc|mai|gac)",
            r"(?:treo|leo|chay|trev) len (?:noc|mai|gac|tang|cay)",
            r"bi nuoc (?:bao quanh|bao vay|co lap)",
            r"nuoc (?:\w+ ){0,3}(?:toi|den|ngang|qua|lut) "
            r"(?:nguc|co|noc|mai|dau(?! goi)|bung|giuong|cua so)",
            r"khong ai (?:ra|vao|di) (?:\w+ )?duoc",
            r"ngap (?:\w+ ){0,2}(?:ngang|qua|toi) (?:bung|dau nguoi|cua so)",
            r"(?:o|tren|len) (?:tren )?(?:gac|noc nha|mai nha)",
            # "xuong" is also "xuống": "phải đi xuống lòng đường" is a pavement, not a boat
            r"phai (?:dung|di(?: bang)?) (?:ghe|thuyen|ca no|xuong(?! (?:long|duong|duoi|lau|"
            r"tang|cau|ham|via|pho|san|bai|gam|mat)\b))",
            r"ngap (?:sau )?(?:hon |gan |khoang |tren |toi |den )?"
            r"(?:0[,.][5-9]|[1-9](?:[,.]\d)?) ?(?:m|met)\b",
            r"chay xiet", r"bam (?:vao|lay) (?:\w+ )?(?:thanh cau|cay|mai|cot|phao|go)",
            r"(?:nuoc|ngap) (?:\w+ ){0,4}(?:ngang|toi|den|qua) (?:hong|eo|nguc|lung)",
            r"nuoc (?:\w+ ){0,4}cuon cuon",
            r"ngap (?:sau )?(?:\d+[,.]?\d*) ?(?:cm|m|met)(?: \w+){0,3} (?:nha|trong)",
        ),
    ),
    (
        "landslide",
        _rx(
            r"(?:dang|vua) (?:bi )?sat", r"sat lo (?:dang|ngay|sat|toi|vao)",
            r"dat da (?:\w+ )?"
            r"(?:lan|roi|sat|tran|do)", r"taluy (?:\w+ ){0,2}sat",
            r"(?:dat|doi|nui) (?:\w+ ){0,4}(?:do|sat|tran|tuot|truot) (?:xuong|vao) "
            r"(?:\w+ ){0,3}(?:lap|vui) "
            r"(?:\w+ ){0,3}(?:nha|nguoi|bep|xe)", r"vui (?:\w+ ){0,3}(?:nha|bep|nguoi)",
            r"da lan xuong", r"dat (?:sut|sat) (?:xuong|lo)",
            r"da (?:to |lon )?(?:roi|lan|do) xuong (?:duong|nha|nguoi|xe)",
            r"(?:dat|dat da|bun dat|bun) (?:\w+ ){0,3}(?:tran|do|lan|sut|sat) xuong "
            r"(?:\w+ ){0,3}(?:lap|vui|cuon|nha|duong)",
            r"ho (?:sut|lon) (?:\w+ ){0,4}(?:lan rong|dang)", r"nut toac",
            r"(?:sup|sat|lo|sut) (?:tung|mot) (?:mang|khoang|khoi|doan)",
            r"(?:dat|da|bun) (?:\w+ ){0,4}(?:tuot|truot|sat|do) xuong (?:ao ao|ram ram|lien tuc)",
            r"(?:duong|cau|bo ke|bo song|mat duong) (?:\w+ ){0,4}(?:sup|sap|sat) "
            r"(?:\w+ ){0,5}(?:rot|roi|lao|te) xuong",
        ),
    ),
    (
        "gas",
        _rx(
            r"ro ri (?:khi )?(?:gas|ga|khi doc|hoa chat)", r"xi (?:binh )?(?:gas|ga|khi)",
            r"(?:gas|ga) xi", r"xi xi", r"xi ra (?:khi|hoi|gas|ga)",
            r"(?:binh|ong|van) (?:ga|gas|khi)(?: \w+){0,4} (?:bi )?(?:xi|ro|vo)\b",
            r"khi (?:\w+ ){0,2}xi ra", r"mui (?:gas|ga) nong",
            r"mui (?:khi )?(?:gas|ga|khi dot)(?:\W+\w+){0,5}\W+(?:nong|nang|manh)", r"khi doc",
            r"(?:gas|ga|khi|hoi) (?:\w+ ){0,2}(?:phun|tuon|thoat|xi) (?:ra|len)",
            r"(?:bon|binh|ong|van) (?:khi|gas|ga)(?: \w+){0,5} (?:dang )?(?:xi|phun|ro|gay)\b",
            r"khi than", r"ngat khi", r"(?:ngat|ngo doc) khoi",
        ),
    ),
    (
        "violence",
        _rx(
            r"(?:cam|vac) (?:dao|ma tau|kiem|hung khi|gay|sung|rua|kiem)", r"duoi chem",
            r"chem (?:nhau|nguoi)", r"dam (?:nguoi|chet|nhau)", r"bi dam", r"hon chien",
            r"(?:de )?doa (?:giet|chem|dot|ban|danh|dam|tat|cat co)", r"dap pha", r"dot nhap",
            r"cay cua",
            r"danh (?:vo|chong|con|nguoi|hoi dong|dap)", r"bao hanh",
            r"(?:bi )?nhot (?:trong|lai)", r"xong vao (?:\w+ ){0,2}danh", r"dap dau(?! goi)",
            r"keu cuu",
            r"danh (?:em|toi|me|bo|chau|be)(?: \w+){0,2}", r"bi danh",
            r"nem (?:chai|da|gach) (?:vao|trung) (?:nguoi|nha)",
            r"tieng (?:danh|dap|keu cuu|la het)", r"pha khoa", r"xo xat",
            r"dap (?:pha )?(?:quan|cua|nha)", r"doi giet",
            r"giang ho (?:\w+ ){0,3}(?:keo|dap|chem)",
            r"(?:bon|ke|thang) cuop", r"cuop (?:dang|pha|vao|cam)", r"pha cua",
            r"tat (?:axit|a xit)",
            r"duoi danh(?! nghia)",
            r"(?:dang )?khong che (?:ba|ong|nguoi|con tin|chu nha|co|chau|em|be)",
            r"nhot (?:con|vo|be|chau) (?:\w+ ){0,3}danh",
            r"(?:bang|cam|vac|cam theo) (?:dao|bua|rua|ma tau|kiem|sung|xa beng)",
            r"bop co", r"danh (?:\w+ ){0,3}(?:chay mau|be dau|bat tinh|ngat)",
            r"(?:cam|vac|lay|cam theo) (?:\w+ ){0,2}(?:cay|gay|ghe|gach|da|chai|dui|bua) "
            r"(?:\w+ )?(?:dap|danh|phang|nem|choi|dam|duoi)",
            r"dap (?:em|e|toi|vo|con|me|chau|be|nguoi|ba|ong)\b", r"bat coc",
            r"(?:bat|loi|keo|om) (?:\w+ ){0,3}(?:be|chau|dua nho|tre|con) (?:\w+ ){0,2}"
            r"(?:len|vao) xe",
            r"dang (?:\w+ )?duoi (?:theo|danh|chem|dam)",
            r"dang (?:\w+ ){0,3}danh (?:nguoi|vo|con|chong|em|be|chau|ba|ong|me|bo|chi|anh)\b",
        ),
    ),
    (
        "lost_child",
        _rx(
            r"di lac", r"mat tich", r"(?<!cau )lac (?:me|bo me|ba me|cha me|nguoi nha|gia dinh)",
            r"khong thay (?:dau|tam hoi)",
            r"(?:ca xom|ca nha|gia dinh|moi nguoi) (?:dang )?(?:di )?tim",
            r"di dau (?:\w+ ){0,4}chua ve", r"di dau mat", r"tim khap (?:noi|xom|cho)",
            r"lang thang mot minh", r"mat con roi",
            r"(?:be|chau|tre|em be|dua nho|dua be) (?:\w+ ){0,8}(?:dung|ngoi) khoc",
            r"(?:be|chau|con|em be) (?:\w+ ){0,8}lac (?:o|tai|trong|mat|ngoai)",
            r"khong thay (?:nguoi lon|bo me|ba me|nguoi nha)",
            r"mat lien lac(?:\W+\w+){0,6}\W+(?:\d+ tuoi|be|chau)",
            r"(?:be|chau|con)(?:\W+\w+){0,4}\W+mat lien lac",
            r"(?:be|chau|tre|em be) (?:\w+ ){0,8}(?:khoc|mot minh)"
            r"(?:\W+\w+){0,5}\W+khong biet (?:nha|duong)",
            r"bo nha di (?:\w+ ){0,3}chua ve",
            r"nguoi la (?:\w+ ){0,2}(?:dat|cho|bat|dan|don) (?:\w+ )?di",
            r"(?:dat|cho|bat) (?:\w+ )?(?:chau|be|tre|con) di (?:mat|dau)",
            r"(?:be|chau|con|em be) (?:\w+ ){0,10}(?:chua (?:ve|thay)|khong thay dau)",
            r"(?:be|chau|con|em be|dua nho) (?:\w+ ){0,8}khong thay (?:\w+ )?ve",
            r"mat (?:con|chau|be)(?: (?:trai|gai|nho|toi|em|roi))?(?: o| tai| trong|$)",
            r"bo (?:di|nha di) (?:khoi nha )?(?:\w+ ){0,4}chua (?:ve|thay)",
            r"(?:ra|di) khoi nha (?:\w+ ){0,8}(?:chua (?:ve|thay)|khong (?:biet|thay))",
            r"gio nay (?:\w+ ){0,4}chua (?:ve|thay)", r"(?:bi|lu) lan (?:\w+ ){0,6}"
            r"(?:ra khoi nha|bo di|di dau|khong biet)",
        ),
    ),
    (
        "drowning",
        _rx(
            r"duoi nuoc", r"chet duoi",
            r"(?:ghe|thuyen|xuong|tau|do|ca no) (?:\w+ ){0,6}(?:bi )?(?:chim|lat)",
            r"(?:te|nga|roi|rot|nhay|lao) xuong nuoc", r"khong biet boi",
            r"(?:nguoi|ai|em|chau) (?:\w+ ){0,2}dang troi", r"(?:song|nuoc) cuon",
            r"(?:roi|te|nga|rot) xuong (?:kenh|song|ao|ho|suoi|gieng|muong|bien)", r"bi nuoc cuon",
            r"choi voi", r"nhay (?:cau|song|xuong song)",
            r"(?:te|nga|roi|rot) xuong (?:ao|ho|song|suoi|gieng|muong nuoc)(?! (?:ve|cua))",
            r"chua (?:thay )?n(?:g)?oi len", r"khong thay n(?:g)?oi len",
            r"lao xuong (?:kenh|song|ao|ho|suoi|muong|bien|vuc)",
            r"(?:(?:di|dang) tam|tam (?:song|bien|ao|ho|suoi|dap|kenh|o|duoi|ngoai))"
            r"(?:\W+\w+){0,6}\W+"
            r"(?:chua thay|khong thay|chua ve|chi thay)",
            r"bi chim", r"chim (?:duoi|xuong)",
            r"bi (?:\w+ )?cuon (?:ra|di|troi|mat)", r"vung vay", r"(?:chi|con) thay (?:\w+ )?dep",
            r"(?:ghe|thuyen|xuong|tau|ca no) (?:\w+ ){0,8}(?:bi )?(?:\w+ )?(?:chim|lat)\b",
            r"(?:song|nuoc|dong nuoc|dong chay|xoay) (?:\w+ )?(?:keo|loi|hut|cuon|danh) "
            r"(?:\w+ ){0,3}(?:ra|troi|mat|xuong)",
        ),
    ),
    (
        "collapse",
        _rx(
            r"(?:dang|vua|da|bi) sap", r"do sap", r"sap (?:mot|xuong|hoan|do)", r"sapp? do",
            r"sapp? (?:nga|sap)", r"coo? the do",
            r"(?:nga|do|sap|sup|roi) (?:\w+ ){0,2}bat cu luc nao", r"nghieng han",
            r"(?:dang|sap) nghieng",
            r"(?:cay|tuong|mai|gian giao|bang quang cao|tru|cot) (?:\w+ ){0,4}(?:lung lay|do de|"
            r"do xuong|nga de|de len|de trung)", r"(?:do|nga|lat) de (?:len|trung|vao)",
            r"(?:sap|do|nga|gay|roi|lat|sup)\W+de "
            r"(?:\w+ ){0,2}(?:nguoi|khach|hoc sinh|tre|chau|xe)",
            r"de trung",
            r"bat goc", r"gay (?:mot )?nhip", r"sup (?:xuong|do)", r"roi xuong (?:\w+ )?nguoi",
            r"bi de(?! nghi| xuat)",
            r"(?:cau|tuong|mai|tran|ban cong) (?:\w+ ){0,2}(?:gay|sup|roi xuong)", r"roi vua",
            r"roi (?:mot|tung) mang", r"sap sap",
            r"(?:vach|tuong|nha|mai|can nha|bo song|bo ke) (?:\w+ ){0,2}(?:dang )?"
            r"(?:do|sup|sap|nga) (?:sang|vao|xuong|qua|de) (?:\w+ )?(?:nha|nguoi|nuoc|duong)",
        ),
    ),
    (
        "fuel",
        _rx(
            r"tran (?:xang|dau)",
            r"(?:xang|dau) (?:\w+ ){0,4}(?:chay lenh lang|lenh lang|trao ra)", r"xang trao",
            r"(?:xang|dau) (?:tran|ro ri|chay lenh lang)", r"thung bon",
            r"mui xang (?:nong|nang|bay)",
            r"xe (?:bon|cho) (?:xang|dau|gas|ga|hoa chat)(?: \w+){0,4} (?:lat|do|chay|ro)",
            r"(?:xang|dau|nhot) (?:\w+ ){0,3}(?:chay|tran|do|ro|loang) (?:ra|xuong|theo|vo|vao) "
            r"(?:\w+ ){0,2}(?:duong|ranh|song|cong|hem|san|nha|khap|suoi|muong|bien)",
            r"(?:xang|dau|nhot) (?:\w+ ){0,2}(?:chay|tran|do|ro) (?:ra|xuong) "
            r"(?:duong|ranh|song|cong)",
        ),
    ),
    (
        "animal",
        _rx(
            r"cho dai", r"cho (?:dien|la) (?:(?!khong|chua)\w+ ){0,2}can", r"sui bot mep",
            r"(?:ran doc|ran ho mang|ho mang)", r"ran (?:\w+ )?can",
            r"(?:trau|bo) (?:\w+ )?(?:huc|dien)", r"huc (?:nguoi|hoc sinh|tre|chau|dan)",
            r"ong (?:vo ve|bap cay|dot)",
            r"(?:cho|trau|bo|bo tot|heo) (?:\w+ ){0,4}(?:dang )?(?:dien|dai) (?:\w+ ){0,2}"
            r"(?:xong|can|huc|duoi|chay)", r"xong (?:chuong|xich)",
            r"dang can (?:nguoi|be|chau|tre|em|mot)", r"(?:huc|hut) (?:nguoi|hoc sinh|tre)",
        ),
    ),
    (
        "medical",
        _rx(
            r"ngo doc", r"bat tinh", r"hon me", r"ngat(?: xiu)?", r"xiu", r"co giat", r"ngung tho",
            r"ngung tim", r"bat dong(?! san)", r"nhap vien (?:\w+ ){0,3}(?:vi|do|sau khi) an",
            r"khong tho", r"kho tho", r"tim tai", r"dot quy", r"len con (?:dau tim|co giat|hen)",
            r"dau tim", r"tu tu", r"sapp? sinh", r"chuyen da", r"(?:non|oi) (?:mua|oi)",
            r"nam bat dong", r"tho yeu",
            r"(?:goi|lay) (?:khong|ko) tinh", r"meo mieng", r"(?:yeu|liet) nua nguoi",
            r"dot nhien (?:\w+ ){0,3}(?:nga|guc|khong noi|bat tinh)",
            r"(?:ba bau|thai phu|co thai|mang thai|bau) (?:\w+ ){0,6}(?:ra mau|dau bung|vo oi)",
            r"nam guc", r"nam gat",
            r"uong (?:\w+ ){0,3}(?:thuoc (?:tru sau|ngu|chuot|diet co)|thuoc sau|axit)",
            r"non ra mau",
            r"vo oi", r"uong nham", r"dau nguc", r"say nang", r"mieng (?:bi )?meo",
            r"nga (?:guc|quy|lan ra)", r"tho khong (?:ra hoi|noi|duoc)",
            r"khong (?:\w+ )?(?:dung|ngoi) day (?:duoc|noi)",
            r"bi hoc(?! (?:lai|sinh|ba|bong|phi|tap|them|hanh|ky|nghe))\b",
            r"(?:nam|ngu) li bi", r"(?:goi|lay|lay goi) (?:\w+ )?khong (?:day|tinh)\b",
        ),
    ),
    (
        "injury",
        _rx(
            r"(?:chay|ra|mat) (?:rat )?nhieu mau", r"(?:chay|ra) mau (?:\w+ ){0,2}nhieu",
            r"mau ra nhieu", r"mau (?:chay|me|phun|tuon|xoi)",
            r"cat (?:vao|dut|trung) (?:chan|tay|co)", r"bi thuong", r"tai nan",
            r"(?:xe )?tong (?:\w+ )?bo chay",
            r"(?:te|nga|rot|roi) (?:\w+ ){0,2}tu "
            r"(?:tang|tren|gian giao|mai|lau)", r"gay (?:chan|tay)", r"bi bong(?! troc| ra)",
            r"bong nang",
            r"nuoc soi (?:\w+ ){0,2}(?:do|giot|hat) (?:vao|len)",
            r"cat dut", r"set danh", r"cam vao nguoi", r"nam (?:duoi|giua) duong",
        ),
    ),
    ("explosion", _rx(r"nghe (?:\w+ )?no",r"phat no", r"tieng no", r"no (?:lon|tung|bung)",
    r"no (?:di dung|lop dop|lien tuc|am am)",
    r"bom min")),
    (
        "self_harm",
        _rx(
            r"doi nhay", r"muon nhay", r"(?:noi|doi|dinh|tu) (?:\w+ )?muon chet",
            r"khong muon song",
            r"(?:dung|treo|ngoi|leo) (?:\w+ )?(?:tren |ra )?(?:lan can|thanh) cau", r"treo co",
            r"dinh (?:nhay|tu tu|treo co)",
            r"(?:thanh|lan can) cau (?:\w+ ){0,5}nhay",
            r"(?:nhan|gui|noi|de lai) (?:\w+ ){0,3}vinh biet", r"thu tuyet menh",
        ),
    ),
)

# --- hazards that need a "now" -----------------------------------------------------
_HAZARD: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "fire",
        _rx(
            r"(?<!xe )(?<!phai )chay(?! (?:len|xuong|ra|vao|qua|"
            r"ngay(?! (?:canh|ben|sat|truoc|tai))|bat|theo|tron|ve|di|toi|"
            r"den|lai|"
            r"nhanh|cham|tu|quanh|tren|duoc|xe|may|yeu|ri|ro))", r"lua (?:chay|boc|lan|ben|bung)",
            r"mui khet", r"coo? lua", r"lua (?:\w+ )?(?:chua tat|khong tat)",
        ),
    ),
    ("electric", _rx(r"day dien", r"cot dien", r"tram bien ap", r"xet xet", r"o cam dien")),
    (
        "flood",
        _rx(
            r"ngap (?:\w+ ){0,3}(?:nha|nguoi|xom|thon|khu dan)", r"ngap sau", r"nuoc lu",
            r"nuoc (?:lu|len|tran)", r"(?:nuoc|lu) (?:\w+ )?daang", r"lu (?:ve|len)",
            r"(?:nuoc|lu|song) (?:\w+ ){0,3}(?:tran|dang len|vo|vao) (?:\w+ )?(?:nha|xom|bo)",
            r"nuoc (?:\w+ )?(?:van |cu |dang )?len (?:nhanh|hoai|mai|toi|den)",
            r"(?:ngoi|o|tru|tranh|dung) tren (?:noc|mai|gac)",
            r"(?:nuoc|lu) (?:\w+ )?dang(?=,|$| (?:len|cao|nhanh|lam|qua))",
        ),
    ),
    (
        "collapse",
        _rx(
            r"nghieng", r"lung lay", r"(?:cay|tuong|mai|tran) (?:\w+ )?(?:do|gay)", r"sap",
            r"nga (?:dan|xuong|ra)", r"lun (?:dan|xuong|sut)", r"chuc (?:roi|do|sap|nga|bay)",
            r"bat re|re bat", r"gay ngang", r"lung lung|lung lang|lo lung", r"bi (?:nuoc )?xoi",
            r"vong xuong", r"lac (?:manh|lu|lu)",
            r"rung lac", r"toc mai",
        ),
    ),
    (
        "landslide",
        _rx(
            r"sat lo", r"sut lun", r"sut xuong", r"lo sut", r"truot xuong",
            r"(?:dat|doi|nui|bo song|bo ke) (?:\w+ ){0,3}(?:truot|sut|lo|sat)",
        ),
    ),
    (
        "violence",
        _rx(
            r"danh nhau", r"au da", r"hanh hung", r"de doa", r"dap cua",
            r"nem (?:chai|da|gach|mam tom)", r"roi nhau", r"khoc thet", r"cuop", r"roi quat",
            r"danh (?:du|dap|manh|tui bui|lien tuc)",
            r"dang (?:\w+ )?danh (?:nguoi|vo|con|chong|em|be|chau|ba|ong|me|bo)",
            r"(?:cam|vac|bang) (?:con |cay )?(?:dao|bua|rua|ma tau|sung|kiem)",
        ),
    ),
    ("medical", _rx(r"cap cuu", r"dau bung du doi", r"sot cao", r"ra mau")),
    ("animal", _rx(r"cho (?:\w+ )?can", r"con ran", r"ran (?:luc|doc|ho|cap nia|to)")),
)

_NOW = _rx(
    r"dang", r"vua(?! (?:roi|roii|qua))",
    r"(?<!da )(?<!so )cuu (?:voi|giup|toi|em|con|chau|nha|ho|vs)", r"^cuu\b", r"gap", r"khan cap",
    r"ngay (?:luc nay|bay gio|lap tuc)", r"bay gio", r"luc nay", r"gio nay", r"hien (?:tai|gio)",
    r"bat cu luc nao", r"van (?:dang|con|o)(?! (?:so|lo|am anh|nho|buon))",
    r"con (?:dang|ket|dien|toe|xet|o trong|(?:o )?ben trong)", r"la (?:ghe|het|o|cuu|thet)",
    r"dang keu",
    r"sapp? (?:do|sap|nga|vo|sup|roi|troi|ngap|chim|chet)", r"lien(?! tuc)", r"keu cuu",
    r"khong (?:ra|di|thoat) (?:duoc|noi)",
    r"khong (?:\w+ )?(?:ra|di|thoat|leo|mo cua|tu di) (?:duoc|noi|kip)",
    r"ai co (?:\w+ ){0,2}(?:vao|toi|den|qua|ra) giup", r"coi chung", r"giup (?:voi|vs)",
    r"nghe (?:tieng )?(?:rac rac|am am|xet)", r"chua tat", r"la cuu",
    r"(?:goi|xin|can) (?:\w+ ){0,2}xe cuu thuong", r"xe cuu thuong (?:chua|khong) (?:toi|den|vao)",
    r"khong coo? (?:thuyen|ghe|xe|duong|ai) (?:ra|vao|di|cuu|cho)",
    r"(?:ra|xuong|di|thoat|len) khong (?:duoc|noi)",
    r"khong coo? (?:cho|noi) (?:di|tranh|tru|chay)",
    r"biet cach (?:cuu|so cuu|xu ly)", r"cuu (?:\w+ )?(?:voi|vs)\b",
    r"chua (?:ai|kip) (?:\w+ )?(?:di doi|so tan|cuu|toi|den)", r"khong thay ai (?:toi|den|cuu)",
    r"khong (?:\w+ )?(?:be|cong|keo) (?:\w+ )?noi", r"la that thanh",
)
# Calls for help: enough for a hazard, not against plain words of the past.
_CALLS = _rx(r"ai (?:goi|bao|giup)", r"goi (?:114|113|115|cap cuu)")
# Softer signs of "now": enough for a hazard, not against words of the past.
_SOON = _rx(
    r"(?:sang|trua|chieu|toi|dem|hom) nay", r"roii?$", r"chua (?:ve|ra|toi|len|kip|biet)",
    r"tu (?:sang|trua|chieu|toi|dem|nay|\d+ (?:phut|tieng|gio) truoc)", r"roii?(?=,|$)",
    r"chua (?:ai )?(?:dua|cuu|keo|vot|dem) (?:\w+ )?ra", r"am am", r"khoc (?:re|thet)",
    r"(?:ngoi|dung|nam|choi) (?:ben |phia )?duoi",
    r"(?:nguoi|hoc sinh|tre|chau|khach) (?:\w+ ){0,2}o (?:ben |phia )?duoi", r"phia duoi la",
)
_OVER = _rx(
    r"(?:tuan|thang|hom) (?:truoc|roi|roii)", r"nam (?:truoc|roii)",
    r"nam ngoai(?! (?:san|duong|troi|hien|vuon|ngo|cua|hem|kiet|bai|dong|ruong|bien|le|cong))",
    r"nam (?:19|20)\d\d",
    r"hoi (?:thang|nam|tet|truoc|xua|dau nam|he|chien tranh|nho|do)", r"hom bua",
    r"da (?:\w+ )?(?:tiem|bat duoc|dua di vien)", r"truoc day", r"hom kia",
    r"(?:may|vai|\d+|hai|ba) (?:ngay|hom|tuan) truoc",
    r"(?<!tu )hom qua(?! (?:toi gio|den gio|den nay))", r"(?<!tu )dem qua", r"(?<!tu )toi qua",
    r"vua (?:roii|qua)", r"vua roi(?! (?:xuong|mot|vo|tu|trung))",
    r"da (?:duoc )?(?:khac phuc|giai quyet|dap (?:duoc|tat))",
    r"(?<!khong ai )(?<!khong )(?<!chua )dap duoc", r"sau (?:tran|dot|vu|con) (?:lu|bao|chay|mua)",
    r"da khoe", r"da tiem", r"thang \d+", r"hom (?:ram|thu)", r"cam on", r"khen thuong",
    r"sang nay moi biet", r"dem kia", r"hom chu nhat", r"da tim (?:duoc|thay)", r"tim duoc roi",
    r"(?:nay|gio) da (?:on|an toan|binh thuong|tat)", r"tu (?:dot|tran|con) (?:bao|lu|mua)",
)
_CHRONIC = _rx(
    r"moi (?:khi|lan|nam|mua|dot|tran|toi|ngay)", r"he (?:mua|co)", r"thuong xuyen",
    r"(?:nam|toi|ngay|thang|dem|tuan|mua) nao (?:\w+ ){0,3}cung", r"\d+ (?:tuan|thang|nam) nay",
    r"lau (?:roi|roii|nay|nam)", r"tu lau",
    r"(?:may|ca|nhieu) (?:tuan|thang|nam|bua) nay", r"suot (?:ngay|dem|tuan|thang|buoi|ca)",
    r"tu dau nam", r"keo dai", r"hay (?:bi|co|xay|xet|chap|ngap|sat|do|te|nga)", r"mua mua",
    r"mua lu", r"hang nam",
    r"nhieu (?:lan|ngay|hom)",
    r"mua (?:\w+ )?la\b", r"ca tuan", r"ca thang",
)
_RISK = _rx(
    r"nguy (?:co|coww)", r"neu", r"gia su", r"de phong", r"tiem an", r"de xay ra",
    r"lo (?:ngai|lang)", r"coo? ngay", r"so (?:sau nay|co ngay|hoc sinh|tre)", r"co ngay",
    r"truoc mua", r"khi co", r"du bao", r"chua (?:vo|sap|do)", r"co dau hieu",
    r"khong biet co an toan", r"rat de", r"(?<!do )de (?:chay|bi|sat|xay ra|ngap|duoi|sap)",
    r"lo (?:tre|con|chau|hoc sinh)",
    r"(?<!sau )khi (?:bi|gap|thay|xay ra)", r"de (?:roi|te|nga)",
    r"so (?:chap|bi|gay|co the|se|sau|mai)", r"de tranh", r"phong khi",
)
# Word of a danger elsewhere, from the news or hearsay: never a call for help by itself.
_NEWS = _rx(
    r"theo (?:bao|tin|dai)", r"(?:bao|dai|tivi|ti vi) (?:dua tin|dang tin|bao|noi|vua dua)",
    r"doc (?:tin|bao)", r"tren (?:tivi|ti vi|bao|mang|facebook|fb|tiktok)",
    r"nghe noi o (?!trong|ben|duoi|tren)", r"khong biet co ai (?:sao|bi)",
    r"thoi su", r"ban tin", r"lam \d+ nguoi (?:chet|mat tich|bi thuong|thiet mang|tu vong)",
    # settled: put out, handled, nobody hurt
    r"(?:da (?:duoc )?|tu )dap (?:tat|duoc)", r"khong sao(?! (?:ca|het))", r"thong ke thiet hai",
    r"lan truyen", r"(?:xem|thay|coi) (?:\w+ )?(?:clip|tin|video)",
    r"tren (?:nhom )?(?:face|zalo|mang)",
    r"(?:dang|up|chia se|coi|xem) (?:\w+ ){0,2}clip",
    r"(?:da|duoc) (?:\w+ )?(?:khoa van|giai tan)", r"giai tan (?:roi|xong)",
    r"(?:don|cua|giai tan|xu ly) (?:\w+ )?xong",
    r"(?:gio|da) het mui",
)
_ASKING = _rx(
    r"cho (?:em |toi |minh |chau )?hoi", r"lam sao(?! (?:day|bay gio))", r"the nao",
    r"so dien thoai", r"coo? duoc (?:\w+ ){0,3}khong",
    r"de nghi (?:lap|xay|tuyen truyen|to chuc|ho tro|khen|lam|"
    r"sua|kiem tra|thay|cat|nang|mo|ngam|di doi|trong)",
    r"xin (?:ho tro|cap|xet|duoc|so lieu|tai lieu)", r"do an",
    r"mong (?:duoc|cac|phuong|xa|chinh quyen|ubnd|uy ban)", r"tu van", r"huong dan",
    r"muon (?:hoi|dangg? ky|duoc)", r"dangg? ky",
    r"o dau a", r"nhan chua", r"dang ky", r"(?:nen|phai) lam gi", r"phan anh lan",
    r"so nao", r"thi goi", r"ai biet (?:cach|cho|o dau|so)", r"bao (?:may|nhieu) lan",
    r"(?:may|nhieu) lan roi",
    r"lam don", r"de nghi (?:thao|don|di doi|bo tri|trang bi|gia co)",
)
# Water over fields and crops is a loss, not a danger, unless people or homes are in it.
_FIELDS = _rx(r"ruong", r"hoa mau", r"mat mua", r"lua (?:ngap|chet|hu)", r"dong lua")
_PEOPLE = _rx(r"nha", r"nguoi", r"tre", r"chau", r"ong", r"ba", r"em", r"con")
# fmt: on
_SENTENCE_END = re.compile(r"[.!?;]+(?:\s+|$)|\n")


def view(text: str) -> str:
    """Normalised, folded text; colliding harmless words renamed when typed with diacritics."""
    clean = _KEPT.sub(r"\1", normalize(_KEEP_BARE.sub(r"\1qqx", text[:20_000])).lower())
    if has_diacritics_mostly(text[:20_000]):
        clean = _ACCENTED_WORD.sub(lambda m: _HARMLESS_ACCENTED.get(m.group(), m.group()), clean)
    return _NOT_HAZARD.sub(" ", fold(clean))


def _found(cues: tuple[tuple[str, re.Pattern[str]], ...], sentence: str) -> list[str]:
    return [reason for reason, pattern in cues if pattern.search(sentence)]


def _reasons(sentences: list[str]) -> dict[str, None]:
    """Hazards of each sentence that speaks of a danger happening now."""
    now = [bool(_NOW.search(s)) for s in sentences]
    soon = [
        n or bool(_SOON.search(s) or _CALLS.search(s)) for n, s in zip(now, sentences, strict=True)
    ]
    found: dict[str, None] = {}
    for i, sentence in enumerate(sentences):
        acute = _found(_ACUTE, sentence)
        doubtful = any(p.search(sentence) for p in (_OVER, _CHRONIC, _RISK, _ASKING))
        if _NEWS.search(sentence) or doubtful and not (now[i] and acute):
            continue
        here = soon[i] or (i > 0 and soon[i - 1]) or (i + 1 < len(soon) and soon[i + 1])
        hazards = _found(_HAZARD, sentence) if here else []
        if _FIELDS.search(sentence) and not _PEOPLE.search(sentence):
            hazards = [h for h in hazards if h != "flood"]
        for reason in acute + hazards:
            found.setdefault(reason, None)
    return found


def _rule_reasons(viewed: str) -> dict[str, None]:
    return _reasons([s.strip() for s in _SENTENCE_END.split(viewed) if s and s.strip()])


def rules(text: str) -> Urgency:
    """The hand-written rules alone (to measure them beside the model)."""
    if not isinstance(text, str) or not text.strip():
        return Urgency(False)
    reasons = _rule_reasons(view(text))
    return Urgency(bool(reasons), tuple(reasons))


def detect(text: str) -> Urgency:
    """Return whether ``text`` reports an immediate danger, with the hazards found.

    The rules name the hazard; when they find none, the learned model may still raise the
    alarm (reason "danger"): on fresh text it catches most of what the rules' wording misses.
    """
    if not isinstance(text, str) or not text.strip():
        return Urgency(False)
    viewed = view(text)
    reasons = _rule_reasons(viewed)
    if not reasons and emergency_model.urgent(viewed):
        reasons = {"danger": None}
    return Urgency(bool(reasons), tuple(reasons))
