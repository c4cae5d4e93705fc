"""Whether an applicant is a registered person: the match keys, and the three bands of a match.

- certain (`already_registered` at once): the same document (issuing state and number); or the same
  birth date, citizenship and sex with a full name key in common (any spelling schema, a Latin
  spelling read back to the Cyrillic it may have been romanised from, surname and given names in
  either order, with or without a patronymic): YURIY and IURII are both Юрий;
- probable (an officer reviews): the same document number under another issuing state with the same
  birth date; a full name key and the birth date in common but another citizenship or sex; a
  partial key (surname and first given name) and the birth date in common; a full key and the
  citizenship in common with a birth date one typing slip away; or, with the same citizenship and the
  same (or day/month-swapped) birth date, names whose trigram similarity reaches SIMILAR_NAME and
  whose words pair off (another national form of a name among them: OLEKSANDR for ALEKSANDR, which
  no spelling of either reads back to);
- otherwise no match.

A true namesake (same full name, birth date, citizenship and sex) cannot be told apart by data: it
is a certain match, and the applicant must show otherwise through the usual channels.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import permutations

from iin_models.national_register import Particulars
from rules.names import name_key, name_keys, spelling_variants

# The similar-name band, for people of the same citizenship born the same day (or day/month swapped):
# PostgreSQL keeps those whose whole names have at least SIMILAR_NAME pg_trgm similarity (a loose
# sieve), then every word of one name must pair with a word of the other whose skeleton is at most
# one slip away (a letter changed, added, dropped, or two neighbours exchanged), two for words of
# LONG_WORD letters or more, as one Cyrillic letter may be several Latin ones (Х -> KH). A twin
# (same surname, another given name) or a namesake by given name fails the pairing; a slipped
# letter or an informal spelling passes. Chosen with bench/duplicates.py (docs/architecture.md).
SIMILAR_NAME = 0.15
LONG_WORD = 6
# Informal Latin spellings of the same sounds (German W, J and SCH, English Y and X for KS, French OU,
# Z for TS), brought to one skeleton before words are compared: ALEXANDER is then a slip from
# ALEKSANDR (an E more), which Cyrillic read back never makes certain (Alexander is not Александр).
_SKELETON = (("X", "KS"), ("SCH", "SH"), ("KH", "H"), ("TS", "Z"), ("OU", "U"), ("W", "V"), ("J", "I"), ("Y", "I"))
# Patronymics written inside the given names ("IVAN PETROVICH"): Russian -ovich/-evich/-ovna/-evna/
# -ichna, Kazakh -uly/-kyzy (and their Latin spellings). Deliberately narrow: a second given name
# taken for a patronymic would make two different people's keys equal.
_PATRONYMIC = re.compile(r"(OVICH|EVICH|OVNA|EVNA|ICHNA|ULY|KYZY|QYZY)$")


class Band(StrEnum):
    CERTAIN = "certain"
    PROBABLE = "probable"


class MatchBasis(StrEnum):
    """Why a registered person matches; the first two are certain, the rest probable."""

    DOCUMENT = "document"
    IDENTITY = "identity"
    DOCUMENT_NUMBER = "document_number"
    OTHER_CITIZENSHIP_OR_SEX = "other_citizenship_or_sex"
    PARTIAL_NAME = "partial_name"
    NEAR_BIRTH_DATE = "near_birth_date"
    SIMILAR_NAME = "similar_name"


@dataclass(frozen=True)
class NameKeys:
    """A name's full keys (every spelling, either order, with and without patronymic) and partial ones."""

    full: frozenset[str]
    partial: frozenset[str]


@dataclass(frozen=True)
class MatchProbe:
    """What the registry is searched for, derived from an application."""

    issuing_state: str
    number: str
    birth_date: date
    citizenship: str
    sex: str
    keys: NameKeys
    spellings: frozenset[str]  # whole-name spellings, words sorted: compared by trigram similarity
    near_birth_dates: frozenset[date]  # one typing slip away: a digit, two adjacent digits, day/month

    @property
    def similar_name_dates(self) -> frozenset[date]:
        """Birth dates searched for similar names: the date itself and its day/month swap."""
        swapped = _swapped(self.birth_date)
        return frozenset({self.birth_date} | ({swapped} if swapped else set()))


@dataclass(frozen=True)
class Candidate:
    """A registered person the registry returned for a probe, with the facts the bands need."""

    iin: str
    birth_date: date
    citizenship: str
    sex: str
    same_document: bool = False
    same_number_other_state: bool = False
    full_key: bool = False  # a full key of both names in common
    partial_key: bool = False  # a key in common, partial on either side
    similarity: float = 0.0
    name_key: str = ""  # the registered name's key, for the similar-name band


@dataclass(frozen=True)
class Match:
    """A registered person the applicant may be, the band and the strongest basis."""

    iin: str
    band: Band
    basis: MatchBasis


def _skeleton(word: str) -> str:
    for spelling, skeleton in _SKELETON:
        word = word.replace(spelling, skeleton)
    return word


def slips(one: str, other: str) -> int:
    """The optimal string alignment distance: letters changed, added or dropped, neighbours exchanged."""
    previous2: list[int] = []
    previous = list(range(len(other) + 1))
    for i, a in enumerate(one, start=1):
        current = [i]
        for j, b in enumerate(other, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == other[j - 2] and one[i - 2] == b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def _words_alike(one: str, other: str) -> bool:
    allowed = 2 if max(len(one), len(other)) >= LONG_WORD else 1
    return abs(len(one) - len(other)) <= allowed and slips(one, other) <= allowed


def names_alike(one: str, other: str) -> bool:
    """Whether two folded names have as many words and pair them off, each pair a slip or two apart."""
    words, others = [_skeleton(w) for w in one.split()], [_skeleton(w) for w in other.split()]
    if not words or len(words) != len(others):
        return False
    # Names have a handful of words; past six, the sorted order stands in for the best pairing.
    pairings = permutations(others) if len(others) <= 6 else iter([tuple(others)])
    return any(all(_words_alike(a, b) for a, b in zip(words, paired, strict=True)) for paired in pairings)


@lru_cache(maxsize=1 << 16)
def _is_patronymic(word: str) -> bool:
    return any(_PATRONYMIC.search(spelling) for spelling in spelling_variants(word))


def registry_keys(surname: str, given_names: str, patronymic: str | None = None) -> NameKeys:
    """The keys a name is registered and searched under.

    Full: `name_keys(surname, given_names)`; with the patronymic added to the given names if it was
    filed apart; without the last given name if that is a patronymic typed into the given names.
    Partial: surname and first given name, when there are more given names than that.
    """
    given = given_names.split()
    full = set(name_keys(surname, given_names))
    if patronymic:
        full |= name_keys(surname, f"{given_names} {patronymic}")
    if len(given) > 1 and _is_patronymic(given[-1]):
        full |= name_keys(surname, " ".join(given[:-1]))
    partial = set(name_keys(surname, given[0])) if len(given) > 1 else set()
    return NameKeys(full=frozenset(full), partial=frozenset(partial - full))


def _swapped(day: date) -> date | None:
    try:
        swapped = date(day.year, day.day, day.month)
    except ValueError:
        return None
    return swapped if swapped != day else None


def _dates(texts: Iterable[str]) -> set[date]:
    found = set()
    for text in texts:
        try:
            found.add(date(int(text[0:4]), int(text[4:6]), int(text[6:8])))
        except ValueError:
            continue
    return found


def near_birth_dates(day: date) -> frozenset[date]:
    """Real dates one typing slip from `day` (YYYYMMDD): one digit of the decade, year, month or day
    changed, two adjacent ones of them exchanged, or day and month swapped; `day` itself excluded.
    The century is left alone: nobody mistypes 1984 as 2984."""
    text = f"{day:%Y%m%d}"
    digit_changes = (text[:i] + d + text[i + 1 :] for i in range(2, 8) for d in "0123456789")
    transpositions = (text[:i] + text[i + 1] + text[i] + text[i + 2 :] for i in range(2, 7))
    near = _dates(digit_changes) | _dates(transpositions)
    swapped = _swapped(day)
    if swapped is not None:
        near.add(swapped)
    near.discard(day)
    return frozenset(near)


def whole_name_spellings(surname: str, given_names: str) -> frozenset[str]:
    """The name spelt by each schema throughout, words sorted (as `people.name_key` stores it)."""
    spellings = {" ".join(sorted(s.split())) for s in spelling_variants(f"{surname} {given_names}")}
    return frozenset(spellings | {name_key(surname, given_names)})


def probe_for(person: Particulars) -> MatchProbe:
    """The search for the registered people `person` may be."""
    applicant, document = person.applicant, person.document
    return MatchProbe(
        issuing_state=str(document.issuing_state),
        number=document.number,
        birth_date=applicant.birth_date,
        citizenship=str(applicant.citizenship),
        sex=applicant.sex.value,
        keys=registry_keys(applicant.surname, applicant.given_names, applicant.patronymic),
        spellings=whole_name_spellings(applicant.surname, applicant.given_names),
        near_birth_dates=near_birth_dates(applicant.birth_date),
    )


def _assess(probe: MatchProbe, candidate: Candidate) -> tuple[Band, MatchBasis] | None:
    same_birth_date = candidate.birth_date == probe.birth_date
    same_citizenship = candidate.citizenship == probe.citizenship
    if candidate.same_document:
        return Band.CERTAIN, MatchBasis.DOCUMENT
    if candidate.full_key and same_birth_date:
        if same_citizenship and candidate.sex == probe.sex:
            return Band.CERTAIN, MatchBasis.IDENTITY
        return Band.PROBABLE, MatchBasis.OTHER_CITIZENSHIP_OR_SEX
    if candidate.same_number_other_state and same_birth_date:
        return Band.PROBABLE, MatchBasis.DOCUMENT_NUMBER
    if candidate.partial_key and same_birth_date:
        return Band.PROBABLE, MatchBasis.PARTIAL_NAME
    if candidate.full_key and same_citizenship and candidate.birth_date in probe.near_birth_dates:
        return Band.PROBABLE, MatchBasis.NEAR_BIRTH_DATE
    if (
        candidate.similarity >= SIMILAR_NAME
        and same_citizenship
        and candidate.birth_date in probe.similar_name_dates
        and any(names_alike(spelling, candidate.name_key) for spelling in probe.spellings)
    ):
        return Band.PROBABLE, MatchBasis.SIMILAR_NAME
    return None


def classify(probe: MatchProbe, candidates: Iterable[Candidate]) -> list[Match]:
    """One match per registered person, in the strongest band any of its candidates reaches.

    Certain matches first, then probable ones, each by IIN.
    """
    best: dict[str, Match] = {}
    for candidate in candidates:
        assessed = _assess(probe, candidate)
        if assessed is None:
            continue
        band, basis = assessed
        known = best.get(candidate.iin)
        if known is None or (known.band is Band.PROBABLE and band is Band.CERTAIN):
            best[candidate.iin] = Match(candidate.iin, band, basis)
    order = {Band.CERTAIN: 0, Band.PROBABLE: 1}
    return sorted(best.values(), key=lambda m: (order[m.band], m.iin))
