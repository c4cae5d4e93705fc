"""Keys for finding the same person under different spellings of their name, across scripts.

Everything is folded to uppercase ASCII letters and single spaces, the alphabet of a machine readable
zone, so a name typed in Cyrillic and the same name read from a passport's MRZ can meet.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import chain, product

import iuliia
from anyascii import anyascii

from rules.romanizations import KAZAKH_IN_RUSSIAN, SYSTEMS, readings

# The Russian Cyrillic to Latin schemas Russian passports have used, current first: ICAO Doc 9303,
# then GOST R 52535.1-2006 (from March 2010), MVD 782-2000, MVD 310-1997 and its French variant.
# All of them leave non-Russian letters (Kazakh Қ, Ұ, Ә...) untouched, so anyascii folds what is left.
_PASSPORT_SCHEMAS = (
    iuliia.ICAO_DOC_9303,
    iuliia.GOST_52535,
    iuliia.MVD_782,
    iuliia.MVD_310,
    iuliia.MVD_310_FR,
)
# Each way a Cyrillic name may have been written in Latin letters, the way `fold` uses first.
_ROMANIZATIONS: tuple[Callable[[str], str], ...] = (
    *(schema.translate for schema in _PASSPORT_SCHEMAS),
    lambda text: text,  # anyascii alone, as for every other script
    # A Kazakh name as Kazakh passports write it: its Russian rendering (Қ as К...) by ICAO.
    lambda text: iuliia.ICAO_DOC_9303.translate(text.translate(KAZAKH_IN_RUSSIAN)),
)
# Apostrophes (O'Brien, D'Artagnan) and the quotes some schemas write for the soft and hard signs
# (MVD 310: Ol'ga, Ivanov") disappear, as in an MRZ; anyascii has already made them ASCII.
_VANISHING = re.compile(r"['\"`]")
# BGN/PCGN's middle dot between letters that would otherwise read as one (Bau·yrzhan for Бауыржан)
# is no word break, and an MRZ has no place for it; anyascii would make it a hyphen.
_MIDDLE_DOT = str.maketrans("", "", "\u00b7")
_SEPARATORS = re.compile(r"[^A-Z]+")
# Every key is a row in the duplicate index and a probe per application, and the product of spellings
# grows exponentially with the words of a name (five Cyrillic words with three spellings each: 243).
# A document uses one schema throughout, so the whole-name keys carry the matches that matter; past
# this many, the remaining mixed-schema keys are dropped.
MAX_NAME_KEYS = 64


def _folded(text: str, romanize: Callable[[str], str]) -> str:
    # Unicode whitespace becomes a plain space first: anyascii drops some of it (NEL, U+0085), which
    # would join two words into one.
    latin = anyascii(romanize(" ".join(text.split())).translate(_MIDDLE_DOT)).upper()
    return " ".join(_SEPARATORS.sub(" ", _VANISHING.sub("", latin)).split())


def fold(text: str) -> str:
    """Fold a name to uppercase ASCII letters separated by single spaces.

    Russian Cyrillic is transliterated by ICAO Doc 9303, as in current passports (Юрий -> IURII); what
    remains, Kazakh letters and every other script, by anyascii (Қайрат -> QAIRAT: ICAO gives 'Қairat',
    then anyascii turns Қ into Q; Müller -> MULLER). Apostrophes and quotes vanish (D'Artagnan ->
    DARTAGNAN), and any other run of non-letters (hyphens, dots, digits, spaces) becomes one space.
    """
    return _folded(text, iuliia.ICAO_DOC_9303.translate)


def _sorted_words(*parts: str) -> str:
    return " ".join(sorted(" ".join(parts).split()))


def name_key(surname: str, given_names: str) -> str:
    """Return an order-insensitive key for a name: its folded words, sorted, joined by single spaces.

    A swapped surname and given name ('IVAN' / 'IVANOV' and 'Иванов' / 'Иван') give the same key.
    The patronymic is not part of the key. A blank name gives the empty string.
    """
    # Word by word, each word's folding cached: the schemas translate word by word anyway.
    return _sorted_words(*(part for word in f"{surname} {given_names}".split() for part in _folded_words(word)))


def _romanizations(text: str) -> tuple[str, ...]:
    # One folded spelling per entry of _ROMANIZATIONS, in its order, duplicates kept.
    return tuple(_folded(text, romanize) for romanize in _ROMANIZATIONS)


# Words repeat far more than names (a register of a million people has a few tens of thousands of
# distinct words), so everything derived from one word is cached; a name's keys are products of
# its words' entries. Sized for a large register's vocabulary, a few hundred bytes a word.
_WORDS = 1 << 18


@lru_cache(maxsize=_WORDS)
def _word_romanizations(word: str) -> tuple[str, ...]:
    return _romanizations(word)


def spelling_variants(text: str) -> frozenset[str]:
    """Return the folded spellings a name may have carried in documents.

    For Cyrillic: each Russian passport schema (ICAO Doc 9303, GOST R 52535.1, MVD 782, MVD 310 and
    MVD 310 French), then anyascii for the letters they leave, anyascii alone, and ICAO on the Russian
    rendering of Kazakh letters; so Юрий gives IURII, YURIY and IOURII, and Қайрат also KAIRAT.
    Latin and other scripts have one spelling, `fold(text)`. Blank text, or text without letters,
    has none.
    """
    return frozenset(spelling for spelling in _romanizations(text) if spelling)


def _bounded(keys: Iterable[str]) -> frozenset[str]:
    bounded: set[str] = set()
    for key in keys:
        bounded.add(key)
        if len(bounded) == MAX_NAME_KEYS:
            break
    return frozenset(bounded)


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= letter <= "\u04ff" for letter in word)


@lru_cache(maxsize=_WORDS)
def _folded_words(word: str) -> tuple[str, ...]:
    # A word of a name folded (a hyphenated one gives several).
    return tuple(fold(word).split())


@lru_cache(maxsize=_WORDS)
def _word_read_back(word: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    # Per system, for each folded part of the word, the ICAO spellings it reads back to through that
    # system, or the part itself where it reads back to nothing; a Cyrillic word stays as it is.
    parts = _folded_words(word)
    if _is_cyrillic(word):
        return tuple(tuple((part,) for part in parts) for _ in SYSTEMS)
    read = [readings(part) for part in parts]
    return tuple(
        tuple(tuple(sorted(back[system])) or (part,) for part, back in zip(parts, read, strict=True))
        for system in range(len(SYSTEMS))
    )


def _read_back_keys(words: list[str]) -> Iterator[str]:
    # Per system, every Latin word read back through it into the Cyrillic it may have been written
    # from (rules/romanizations.py), as ICAO spells that: a document uses one system throughout.
    # Words the system cannot have written, and Cyrillic ones, stay as they are.
    # Most systems read a given name back alike; a system whose options equal an earlier one's would
    # only repeat its keys, so it is passed over.
    seen: set[tuple[tuple[tuple[str, ...], ...], ...]] = set()
    for by_word in zip(*(_word_read_back(word) for word in words), strict=True):
        if by_word not in seen:
            seen.add(by_word)
            options = [part for word in by_word for part in word]
            yield from (_sorted_words(*combination) for combination in product(*options))


@lru_cache(maxsize=_WORDS)
def name_keys(surname: str, given_names: str) -> frozenset[str]:
    """Return the keys of every spelling of a name, for matching across documents and schemas.

    Each Cyrillic word may be spelt by any schema, so the keys are those of the product of the words'
    spelling variants; and a Latin name may have been romanised from Cyrillic by any of the systems
    documents use, so the keys also hold the ICAO spelling of each Cyrillic name it reads back to
    (YURIY IVANOV: IURII IVANOV, the key of Иванов Юрий). At most MAX_NAME_KEYS of them. Always kept:
    `name_key(surname, given_names)` and the key of each schema applied to the whole name, as one
    document would. A blank name gives no keys, so it can never be taken for a duplicate.
    """
    if not name_key(surname, given_names):
        return frozenset()
    words = [*surname.split(), *given_names.split()]
    spellings = [_word_romanizations(word) for word in words]
    # One schema for the whole name first (the first of them is name_key's): a document uses one
    # schema throughout, so these must survive the cap; then the Cyrillic that Latin words read back
    # to, then the mixtures.
    whole_name = (_sorted_words(*same_schema) for same_schema in zip(*spellings, strict=True))
    distinct = [dict.fromkeys(word_spellings) for word_spellings in spellings]
    mixed = (_sorted_words(*combination) for combination in product(*distinct))
    return _bounded(chain(whole_name, _read_back_keys(words), mixed))
