"""Which Cyrillic spellings a Latin name may have been written from, by the systems documents use.

A person's old and renewed passports can spell one Cyrillic name by two systems: Юрий is YURIY in a
Russian passport of 1997-2010 (MVD 310, MVD 782), IURII since 2013 (ICAO Doc 9303), JURIJ in German,
IOURII in French; Юрій is YURIY in a Ukrainian passport of 2004 and YURII since 2010. `readings`
reads a folded Latin word back through each system into the Cyrillic words that system would
have written that way, and returns them as ICAO 9303 spells them (the alphabet of `rules.names.fold`),
so two spellings read back to a common word are two romanisations of one Cyrillic spelling, up to
what ICAO itself does not tell apart (Е Ё Э, И Й І Ї, Г Ґ, the soft sign). A different national form
of a name (Александр, Олександр) is a different Cyrillic spelling and never reads back to the other.

The tables are the libraries' own where they have them: iuliia's Russian schemas and translitua's
Ukrainian ones, taken from their data; two are written here (German, Kazakh Latin), each with its
source. A letter a system writes one way only in some places (MVD 782's YE for Е after a vowel,
the press's -Y for a final -ий) is read that way only there.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import iuliia
import translitua
from anyascii import anyascii


@dataclass(frozen=True)
class Token:
    """Cyrillic that a system writes as some Latin text. Where only in some places: `after`, the
    letters it must follow ("" for the start of a word); `before`, those it must precede; `final`,
    only at the end of a word. None: anywhere."""

    cyrillic: str
    after: frozenset[str] | None = None
    before: frozenset[str] | None = None
    final: bool = False


Tokens = Mapping[str, tuple[Token, ...]]  # folded Latin text (uppercase ASCII letters) -> its readings
Schema = Mapping[str, Mapping[str, str]]  # iuliia's form: mapping, prev_/next_/ending_mapping

_VOWELS = frozenset("аеёиоуыэюяіїєәөұүў")
_HARD_OR_SOFT = frozenset("ьъы")


def _listed(words: str) -> list[str]:
    return words.split()


# Kazakh names in Russian-language documents ("Инструкция по русской передаче казахских антропонимов",
# followed by Kazakhstan's registry offices): Ә as А, Ғ as Г, Қ as К, Ң as Н, Ө as О, Ұ and Ү as У,
# Һ as Х, І as И; Kazakh passports then romanise that Russian spelling (Жақсылық -> ZHAKSYLYK).
KAZAKH_IN_RUSSIAN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
# Russian names in German, after the Duden's transcription (Duden, Die deutsche Rechtschreibung,
# "Transkription aus dem Russischen"): Жуков -> Schukow, Пётр -> Pjotr, Евгений -> Jewgeni.
_GERMAN: Schema = {
    "mapping": dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
            _listed("a b w g d e jo sch s i j k l m n o p r s t u f ch z tsch sch schtsch - y - e ju ja"),
            strict=True,
        )
    ),
    "prev_mapping": {
        **{f"{before}е": "je" for before in ("", *"аеёиоуыэюяьъ")},
        **{f"{before}ё": "o" for before in "жчшщ"},
    },
    "ending_mapping": {"ий": "i", "ый": "y"},
}
# Kazakh in the Latin alphabet of Decree No. 637 of the President of Kazakhstan (19 February 2018),
# read back into the Russian rendering above, which is what Kazakh passports romanise: its J for Ж,
# H for Х and Һ, Q for Қ (К in Russian), I for И and Й, Y for Ы; the letters the decree has no use
# for (Ц Щ Ъ Ь Э Ю Я Ё) as ICAO 9303 writes them. Its accented letters (Á Ǵ Ń Ó Ú Ý) fold in a
# machine readable zone to letters that already mean a Russian one, so they add nothing here.
_KAZAKH_LATIN: Schema = {
    "mapping": dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
            _listed("a b v g d e e j z i i k l m n o p r s t u f h ts ch sh shch - y - e iu ia"),
            strict=True,
        )
    ),
}
_KAZAKH_Q: Schema = {"mapping": {"к": "q"}}  # and Q, the decree's Қ, which the Russian rendering writes К


def _folded(latin: str) -> str:
    return "".join(letter for letter in anyascii(latin).upper() if "A" <= letter <= "Z")


def _schema_tokens(schema: Schema) -> Tokens:
    mapping = {k: v for k, v in schema.get("mapping", {}).items() if v != "-"}
    prev, following = schema.get("prev_mapping") or {}, schema.get("next_mapping") or {}
    # (Latin, Cyrillic, final) -> (letters after, letters before), each None for anywhere
    places: dict[tuple[str, str, bool], tuple[set[str] | None, set[str] | None]] = {}

    def add(latin: str, cyrillic: str, *, after: str = "*", before: str = "*", final: bool = False) -> None:
        key = (_folded(latin), cyrillic, final)
        if not key[0]:
            return
        known_after, known_before = places.get(key, (set(), set()))
        anywhere = after == "*" and before == "*"
        places[key] = (
            None if anywhere or known_after is None else known_after | ({after} if after != "*" else set()),
            None if anywhere or known_before is None else known_before | ({before} if before != "*" else set()),
        )

    for cyrillic, latin in mapping.items():
        add(latin, cyrillic)
    for pair, latin in prev.items():  # the letter after another (or first, for a key of one letter)
        if following.get(pair, "x"):  # else the pair is written as one, below
            add(latin, pair[-1], after=pair[:-1])
    for pair, latin in following.items():  # the letter before another; silent there: the pair as one
        if latin:
            add(latin, pair[0], before=pair[1])
        else:
            add(prev.get(pair, mapping.get(pair[1], "")), pair)
    for ending, latin in (schema.get("ending_mapping") or {}).items():
        add(latin, ending, final=True)
    tokens: dict[str, list[Token]] = {}
    for (latin, cyrillic, final), (after, before) in sorted(places.items(), key=lambda item: item[0]):
        where = [None if letters is None else frozenset(letters) for letters in (after, before)]
        tokens.setdefault(latin, []).append(Token(cyrillic, where[0] or None, where[1] or None, final))
    return {latin: tuple(each) for latin, each in tokens.items()}


def _iuliia_tokens(schema: iuliia.Schema) -> Tokens:
    # iuliia keeps each schema's tables in its package data; translate() reads the same file.
    return _schema_tokens(json.loads(schema.path.read_text(encoding="utf-8")))


def _translitua_tokens(table: type[translitua.TransliterationTable]) -> Tokens:
    main = {chr(code): latin for code, latin in table.MAIN_TRANSLIT_TABLE.items() if chr(code).islower()}
    first = {k: v for k, v in getattr(table, "FIRST_CHARACTERS", {}).items() if k.islower()}
    special = {k: v for k, v in getattr(table, "SPECIAL_CASES", {}).items() if k.islower()}
    return _schema_tokens({"mapping": main, "prev_mapping": first, "ending_mapping": special})


# Every system a document may have used, with its source.
SYSTEMS: dict[str, Tokens] = {
    "ICAO Doc 9303 (Russian passports since 2013)": _iuliia_tokens(iuliia.ICAO_DOC_9303),
    "GOST R 52535.1-2006 (Russian passports 2010-2013)": _iuliia_tokens(iuliia.GOST_52535),
    "MVD 782-2000 (Russian passports 2000-2010)": _iuliia_tokens(iuliia.MVD_782),
    "MVD 310-1997 (Russian passports 1997-2000)": _iuliia_tokens(iuliia.MVD_310),
    "MVD 310-1997, French": _iuliia_tokens(iuliia.MVD_310_FR),
    "BGN/PCGN (English)": _iuliia_tokens(iuliia.BGN_PCGN),
    "English press (Wikipedia's BGN/PCGN, -ий as -y)": _iuliia_tokens(iuliia.WIKIPEDIA),
    "GOST 7.79-2000, system B": _iuliia_tokens(iuliia.GOST_779_ALT),
    "German (Duden)": _schema_tokens(_GERMAN),
    "Ukrainian national, KMU No. 55 (Ukrainian passports since 2010)": _translitua_tokens(translitua.UkrainianKMU),
    "Ukrainian passport 2007": _translitua_tokens(translitua.UkrainianPassport2007),
    "Ukrainian passport 2004": _translitua_tokens(translitua.UkrainianPassport2004Alt),
    "Ukrainian national 1996": _translitua_tokens(translitua.UkrainianNational1996),
    "Ukrainian BGN/PCGN": _translitua_tokens(translitua.UkrainianBGN),
    "Ukrainian in German": _translitua_tokens(translitua.UkrainianGerman),
    "Ukrainian in French": _translitua_tokens(translitua.UkrainianFrench),
    "Kazakh Latin, Decree No. 637 (2018)": {**_schema_tokens(_KAZAKH_LATIN), **_schema_tokens(_KAZAKH_Q)},
}


def _share_equal_readings(systems: dict[str, Tokens]) -> dict[str, Tokens]:
    # Systems agree on most letters: equal readings of a Latin text become one object, so `readings`
    # can tell by identity that two systems read a word alike.
    shared: dict[tuple[Token, ...], tuple[Token, ...]] = {}
    return {name: {latin: shared.setdefault(each, each) for latin, each in t.items()} for name, t in systems.items()}


SYSTEMS = _share_equal_readings(SYSTEMS)
# ICAO 9303 letter by letter (it has no context rules), then anyascii for the letters it leaves.
_ICAO = {
    letter: _folded(anyascii(iuliia.ICAO_DOC_9303.translate(letter)))
    for letter in {c for tokens in SYSTEMS.values() for each in tokens.values() for t in each for c in t.cyrillic}
}
# Readings kept per position of a word: a long word of ambiguous letters could otherwise have
# thousands, nearly all of them spellings nobody has.
MAX_READINGS = 32


def _follows(before: str, letter: str) -> bool:
    """Whether Cyrillic `letter` can follow `before` ("" at the start) in a name: the soft and
    hard signs and Ы never begin a word nor follow a vowel, and Й never follows a consonant."""
    if letter in _HARD_OR_SOFT:
        return bool(before) and before not in _VOWELS and before not in _HARD_OR_SOFT
    if letter == "й":
        return not before or before in _VOWELS
    return True


_NEVER = frozenset((before, letter) for before in ("", *_ICAO) for letter in _ICAO if not _follows(before, letter))


_State = tuple[str, frozenset[str] | None, str]
# Each token's Cyrillic as ICAO 9303 spells it, and each system's Latin letters (a word with any other
# letter is not that system's, and is passed over at once).
_SPELT = {t.cyrillic: "".join(_ICAO[c] for c in t.cyrillic) for ts in SYSTEMS.values() for e in ts.values() for t in e}
_LETTERS = {name: frozenset("".join(tokens)) for name, tokens in SYSTEMS.items()}
_LONGEST = {name: max(len(latin) for latin in tokens) for name, tokens in SYSTEMS.items()}


# Where a system's Latin texts occur in a word: (start, end, their readings), by start.
_Spans = tuple[tuple[int, int, tuple[Token, ...]], ...]


def _spans(word: str, tokens: Tokens, longest: int) -> _Spans:
    return tuple(
        (start, end, tokens[word[start:end]])
        for start in range(len(word))
        for end in range(start + 1, min(len(word), start + longest) + 1)
        if word[start:end] in tokens
    )


def _read_back(word: str, spans: _Spans) -> frozenset[str]:
    # Left to right: at each position, the readings so far as (last Cyrillic letter, the letters the
    # next must be if its last token said so, ICAO spelling), with the fewest letters read to get
    # there. Of the readings of the whole word, those of the fewest letters win: a system spells Щ
    # as SHCH, never Ш and Ч that way, and Х as KH, never К and a Ukrainian Г (H). Dicts keep the
    # order deterministic, so the cap drops the same readings in every process.
    if not word:
        return frozenset()
    begin: _State = ("", None, "")
    so_far: list[dict[_State, int]] = [{begin: 0}] + [{} for _ in word]
    by_start: list[list[tuple[int, Token]]] = [[] for _ in word]
    for start, end, each in spans:
        by_start[start].extend(
            (end, token)
            for token in each
            if (end == len(word) or not token.final) and (end < len(word) or token.before is None)
        )
    for start, here in enumerate(by_start):
        if not so_far[start]:
            continue
        for (last, then, spelt), read in so_far[start].items():
            for end, token in here:
                first = token.cyrillic[0]
                if (
                    (token.after is None or last in token.after)
                    and (then is None or first in then)
                    and (last, first) not in _NEVER
                    and len(so_far[end]) < MAX_READINGS
                ):
                    state = (token.cyrillic[-1], token.before, spelt + _SPELT[token.cyrillic])
                    so_far[end][state] = min(so_far[end].get(state, read + 1), read + 1)
    fewest = min(so_far[-1].values(), default=0)
    return frozenset(spelt for (_, _, spelt), read in so_far[-1].items() if read == fewest)


@lru_cache(maxsize=1 << 18)
def readings(word: str) -> tuple[frozenset[str], ...]:
    """For each of SYSTEMS in order, the ICAO 9303 spellings of the Cyrillic words that system
    writes as `word` (one folded word: uppercase ASCII letters); empty where it never would.

    YURIY reads back as IURII (Юрий by MVD 782, Юрій by the 2004 Ukrainian passport); JURIJ too
    (Юрій in German); IURII reads back as itself; ALEKSANDR never as OLEKSANDR.
    """
    letters = frozenset(word)
    # Systems whose texts occur in the word at the same places with the same readings read it
    # alike (most do, for most words): each such reading is made once.
    read: dict[tuple[tuple[int, int, int], ...], frozenset[str]] = {}
    found = []
    for name, tokens in SYSTEMS.items():
        if not letters <= _LETTERS[name]:
            found.append(frozenset[str]())
            continue
        spans = _spans(word, tokens, _LONGEST[name])
        alike = tuple((start, end, id(each)) for start, end, each in spans)
        if alike not in read:
            read[alike] = _read_back(word, spans)
        found.append(read[alike])
    return tuple(found)
