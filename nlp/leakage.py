"""How much of an evaluation set's wording also occurs in the training corpus.

The dev petitions must never be copied or paraphrased into the corpus; this
check lets anyone verify that.  Texts are compared as folded syllables (no
diacritics, no case, numbers as "0"), so re-typing without accents does not
hide a copied sentence.  A shared run of ``n`` syllables is reported; runs of
8–10 syllables do occur naturally between independent petitions (stock
phrases such as "đề nghị các cấp có thẩm quyền xem xét giải quyết"), a copied
sentence shows up as a run of 20 or more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nlp.features import tokens
from nlp.normalize import fold, normalize

NGRAM = 8


@dataclass(frozen=True, slots=True)
class Overlap:
    """Per-set summary: how many records share wording, and the longest shared run."""

    n: int
    ngram: int
    records_sharing: int
    longest_run: int
    runs_over_20: int

    def as_dict(self) -> dict[str, int]:
        return {
            "n": self.n,
            "ngram": self.ngram,
            "records_sharing_an_ngram": self.records_sharing,
            "longest_shared_run": self.longest_run,
            "records_with_run_over_20": self.runs_over_20,
        }


def _syllables(text: str) -> list[str]:
    return tokens(fold(normalize(text)))


def _grams(words: Sequence[str], n: int) -> Iterable[tuple[str, ...]]:
    return (tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def longest_run(words: Sequence[str], seen: set[tuple[str, ...]], n: int) -> int:
    """Length in syllables of the longest stretch of ``words`` whose every n-gram is in ``seen``."""
    best = run = 0
    for gram in _grams(words, n):
        run = run + 1 if gram in seen else 0
        best = max(best, run)
    return best + n - 1 if best else 0


def overlap(corpus_texts: Iterable[str], eval_texts: Sequence[str], n: int = NGRAM) -> Overlap:
    """Compare every evaluation text against all n-grams of the corpus."""
    seen = {gram for text in corpus_texts for gram in _grams(_syllables(text), n)}
    runs = [longest_run(_syllables(text), seen, n) for text in eval_texts]
    return Overlap(
        n=len(eval_texts),
        ngram=n,
        records_sharing=sum(1 for r in runs if r),
        longest_run=max(runs, default=0),
        runs_over_20=sum(1 for r in runs if r >= 20),
    )
