"""Duplicate candidates: same problem, same place, any wording or diacritics."""

from nlp.duplicates import candidates, signature, similarity

NEW = "Đường Phan Châu Trinh đoạn gần chợ An Mỹ bị ngập sâu mỗi khi mưa lớn, xe máy chết máy."
OTHERS = [
    (11, "duong phan chau trinh gan cho an my mua la ngap, xe chet may hoai"),
    (12, "Đèn đường trên đường Hùng Vương bị hỏng 2 tuần nay."),
    (13, "Nước ngập đường Phan Châu Trinh gần chợ An Mỹ"),
    (14, "Rác thải ở chợ An Mỹ không được thu gom"),
    (15, ""),
]


def test_same_problem_ranks_first_without_diacritics():
    result = candidates(NEW, OTHERS)
    assert [pid for pid, _ in result] == [11, 13]
    assert all(0.25 <= score <= 1.0 for _, score in result)
    assert result[0][1] >= result[1][1]


def test_threshold_and_limit():
    assert candidates(NEW, OTHERS, threshold=0.0, limit=2) == candidates(NEW, OTHERS, 0.0)[:2]
    assert candidates(NEW, OTHERS, threshold=0.99) == []
    assert candidates(NEW, OTHERS, limit=0) == []


def test_identical_text_scores_one():
    assert candidates(NEW, [(1, NEW)]) == [(1, 1.0)]


def test_empty_and_hostile():
    assert candidates("", OTHERS) == []
    assert candidates("😀😀", OTHERS) == []
    assert candidates(NEW, []) == []
    assert candidates(NEW, [(1, None), (2, "x" * 100_000)]) == []  # type: ignore[list-item]


def test_similarity_bounds():
    a, b = signature("ngập nước đường Hùng Vương"), signature("mất điện khối phố 3")
    assert similarity(a, a) == 1.0
    assert similarity(a, b) == 0.0
    assert similarity(frozenset(), a) == 0.0
