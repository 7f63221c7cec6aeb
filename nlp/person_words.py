"""Word lists the author recogniser (`nlp.author`) reads, all folded (no diacritics, lower case).

Kept apart from the rules so the lists can grow without touching the logic. Words that are
also common given names (Anh, Minh, Hiền, Tài, Nhung, Việt…) are deliberately absent from the
stop lists: in text typed without capitals a name must not be cut short at them.
"""

from __future__ import annotations

#: The family names borne by nearly every Vietnamese (Nguyễn … Lã), folded.
SURNAMES = frozenset(
    """
    nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh doan
    lam luong luu mai cao trinh ha ta tang thai chau chu la lai quach kieu mac ninh trieu tieu
    phung khuc au ung dao dam tong nghiem hua thach lu ton giang quan lo khong che bach banh
    vuong vien lieu nong hau kha khuat ong diep tu thieu man nham nhu lac phi mach
    """.split()
)

#: Self-introductions: the citizen's name follows. "ten" phrases are strong (a single
#: capitalised word after them is a name; no family name needed).
INTRODUCTIONS = (
    "toi la",
    "tui la",
    "em la",
    "con la",
    "chau la",
    "minh la",
    "toi ten la",
    "toi ten",
    "ten toi la",
    "ten toi",
    "ten cua toi la",
    "em ten la",
    "em ten",
    "con ten la",
    "con ten",
    "chau ten la",
    "chau ten",
    "minh ten la",
    "minh ten",
    "toi ho ten la",
    "toi ho ten",
    "toi la nguoi ten",
)

#: Form labels and signature lines: a name follows after a colon or on the next line.
LABELS = (
    "ho ten",
    "ho va ten",
    "ho ten nguoi to cao",
    "ten nguoi to cao",
    "nguoi to cao",
    "nguoi lam don",
    "nguoi viet don",
    "nguoi gui",
    "nguoi gui don",
    "nguoi phan anh",
    "ky ten",
    "ky va ghi ro ho ten",
)

#: Honorifics that may stand between "tôi là" and the name ("tôi là ông Phạm Văn A").
HONORIFICS = frozenset("ong ba anh chi co chu bac em".split())

#: Words that end a name typed in lower case (never a name syllable in practice).
NAME_STOPS = frozenset(
    """
    la o nha so sdt dt dth cccd cmnd sinh tuoi xin muon bi duoc co khong da se va voi den de
    ve cua nay neu nen cung nguoi toi tui em con ong tru gui hoi thay nghi day roi oi nhe
    ah vay the xa phuong thon khoi trong ngoai tren duoi can cu chung zalo email gmail
    """.split()
)
#: Particles that end a sentence ("… Huỳnh Tấn Phát ạ"), as typed (their folded forms are
#: name syllables: "a" of "Nguyễn Văn A").
PARTICLES = frozenset({"ạ", "à", "ừ", "ạh", "nhé", "nhá"})
#: Two-word phrases that end a name ("... tố cáo", "... hiện ở"), for the words that are
#: names on their own.
NAME_STOP_PHRASES = frozenset(
    {
        ("to", "cao"),
        ("phan", "anh"),
        ("kien", "nghi"),
        ("khieu", "nai"),
        ("hien", "o"),
        ("hien", "dang"),
        ("hien", "song"),
        ("hien", "nay"),
        ("hien", "tai"),
        ("hien", "la"),
        ("dang", "o"),
        ("dang", "song"),
        ("dang", "lam"),
        ("bao", "cao"),
        ("lam", "don"),
        ("lam", "viec"),
        ("viet", "don"),
        ("dien", "thoai"),
        ("tam", "tru"),
        ("thuong", "tru"),
        ("song", "tai"),
        ("song", "o"),
        ("sinh", "nam"),
        ("sinh", "ngay"),
        ("tai", "dia"),
    }
)

#: Where the citizen gives their home ("nhà ở", "trú tại"); phrases with a first-person word
#: need no further evidence that the home is the author's.
ADDRESS_MARKERS = (
    "nha o",
    "nha toi o",
    "nha em o",
    "nha minh o",
    "nha con o",
    "nha chau o",
    "nha toi tai",
    "nha tai",
    "dia chi",
    "dia chi nha",
    "dia chi lien he",
    "dia chi thuong tru",
    "tru tai",
    "tru o",
    "thuong tru",
    "thuong tru tai",
    "tam tru",
    "tam tru tai",
    "cu tru",
    "cu tru tai",
    "noi o",
    "noi cu tru",
    "cho o",
    "sinh song tai",
    "song tai",
    "song o",
    "hien o",
    "hien o tai",
    "hien song tai",
    "hien dang o",
    "hien dang song tai",
    "o tai",
    "ngu tai",
    "que quan",
    "ho khau",
)
#: Words before a house number ("số 12", "kiệt 45").
HOUSE_WORDS = frozenset("so sn kiet hem ngo ngach k h lo can".split())
#: Words before a street name ("đường Hùng Vương").
STREET_WORDS = frozenset("duong pho".split())
#: Words that start a new clause: an address ends before them.
ADDRESS_STOPS = frozenset(
    """
    toi tui em minh chung sdt dt cccd cmnd xin kinh nay de la co bi duoc va nhung ma vi neu
    thi da dang se muon ong ba email zalo gmail
    """.split()
)
ADDRESS_STOP_PHRASES = frozenset(
    {("so", "dien"), ("dien", "thoai"), ("to", "cao"), ("phan", "anh"), ("can", "cuoc")}
)

#: Who a sentence is about: the writer, or someone else (the accused).
FIRST_PERSON = frozenset("toi tui minh em con chau".split())
THIRD_PERSON = frozenset("ong ba anh chi chu bac".split())
