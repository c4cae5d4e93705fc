"""A labelled population for the duplicate check across romanisation systems (issue 16).

Real Russian, Ukrainian and Kazakh names, each registered as one document spelt it and applying
again with a document that spells the same Cyrillic by another system: an old Russian passport
(MVD 310-1997, MVD 782-2000, GOST R 52535.1-2006, the 1997 rules' short -ий) against the ICAO 9303
spelling of renewed ones, two old systems against each other, English (BGN/PCGN, the press's
Wikipedia style) and French ones, old Ukrainian passports (2004, 2007, the 1996 national system,
German, French, Russian-style) against the 2010 national system (KMU 55), Kazakh names registered
in Cyrillic or in the Latin of their Russian rendering against a passport's Latin. A duplicate of
another kind, the same person under another national form of the name (Александр / Олександр),
is expected to reach review only; a Ukrainian spelling that differs only in letters ICAO 9303
writes alike (Юрий / Юрій, both IURII) is expected to be certain. Strangers are the hard negatives
of these spellings: a twin (the same surname, another given name of the same sex) and a namesake
(the same given name, another surname), each born the same day with the same citizenship and spelt
by the applicant's system.

Some systems here (the press's style, the 1997 short -ий, the Russian-style Ukrainian) are not
among those `rules/romanizations.py` reads back, so the figures are not only the rules' own tables
replayed; but most are, and the names are a list of ours: the figures say what the rules catch,
not how often real registries hold such pairs.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

import iuliia
import translitua

from bench.synthetic import CYRILLIC_SYLLABLES, Person, Probe, _number, _registered_number, _word
from rules.names import fold

Romanize = Callable[[str], str]


def _iuliia(schema: iuliia.Schema) -> Romanize:
    return lambda text: fold(schema.translate(text))


def _translitua(table: type[translitua.TransliterationTable]) -> Romanize:
    return lambda text: fold(translitua.translit(text, table))


ICAO = _iuliia(iuliia.ICAO_DOC_9303)
OLD_RUSSIAN: dict[str, Romanize] = {
    "MVD 310-1997": _iuliia(iuliia.MVD_310),
    "MVD 782-2000": _iuliia(iuliia.MVD_782),
    "GOST R 52535.1-2006": _iuliia(iuliia.GOST_52535),
    "BGN/PCGN": _iuliia(iuliia.BGN_PCGN),
    "French (MVD 310)": _iuliia(iuliia.MVD_310_FR),
    "press (Wikipedia)": _iuliia(iuliia.WIKIPEDIA),
    "1997, short -ий": _translitua(translitua.RussianInternationalPassport1997Reduced),
}
KMU_2010 = _translitua(translitua.UkrainianKMU)
OLD_UKRAINIAN: dict[str, Romanize] = {
    "Ukrainian passport 2004": _translitua(translitua.UkrainianPassport2004Alt),
    "Ukrainian passport 2007": _translitua(translitua.UkrainianPassport2007),
    "Ukrainian national 1996": _translitua(translitua.UkrainianNational1996),
    "Ukrainian in German": _translitua(translitua.UkrainianGerman),
    "Ukrainian in French": _translitua(translitua.UkrainianFrench),
    "Ukrainian, Russian-style (MVD 310)": _iuliia(iuliia.MVD_310),
}
# Kazakh names in Russian-language documents, before any romanisation: Ә as А, Ғ as Г, Қ as К,
# Ң as Н, Ө as О, Ұ and Ү as У, Һ as Х, І as И ("Инструкция по русской передаче казахских
# антропонимов", the rule Kazakh registry offices follow).
KAZAKH_IN_RUSSIAN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
KAZAKH_DOCUMENTS: dict[str, Romanize] = {
    "Kazakh, ICAO": lambda text: ICAO(text.translate(KAZAKH_IN_RUSSIAN)),
    "Kazakh, MVD 782": lambda text: OLD_RUSSIAN["MVD 782-2000"](text.translate(KAZAKH_IN_RUSSIAN)),
    "Kazakh, BGN/PCGN": lambda text: OLD_RUSSIAN["BGN/PCGN"](text.translate(KAZAKH_IN_RUSSIAN)),
}


def _listed(words: str) -> list[str]:
    return words.split()


RUSSIAN_GIVEN = {
    "male": _listed(
        "Юрий Александр Сергей Дмитрий Евгений Андрей Алексей Михаил Николай Владимир Игорь Олег Артём"
        " Кирилл Максим Фёдор Григорий Василий Анатолий Валерий Виталий Геннадий Илья Пётр Хабибулла"
        " Даниил Аркадий Вячеслав Ярослав Эдуард"
    ),
    "female": _listed(
        "Наталья Татьяна Ольга Ксения Юлия Мария Дарья Анастасия Екатерина Елена Ирина Светлана"
        " Жанна Алёна Софья Людмила Валентина Евгения Анна Марина Алина Яна Майя Зоя Эльвира Юлиана"
    ),
}
# Russian form -> Ukrainian form of the same name.
UKRAINIAN_FORMS = {
    "Александр": "Олександр",
    "Алексей": "Олексій",
    "Сергей": "Сергій",
    "Дмитрий": "Дмитро",
    "Андрей": "Андрій",
    "Михаил": "Михайло",
    "Юрий": "Юрій",
    "Евгений": "Євген",
    "Николай": "Микола",
    "Владимир": "Володимир",
    "Игорь": "Ігор",
    "Григорий": "Григорій",
    "Наталья": "Наталія",
    "Татьяна": "Тетяна",
    "Елена": "Олена",
    "Екатерина": "Катерина",
    "Юлия": "Юлія",
    "Мария": "Марія",
    "Ксения": "Ксенія",
    "Ирина": "Ірина",
}
UKRAINIAN_GIVEN = {
    "male": [*(UKRAINIAN_FORMS[n] for n in RUSSIAN_GIVEN["male"] if n in UKRAINIAN_FORMS), "Тарас", "Богдан"],
    "female": [*(UKRAINIAN_FORMS[n] for n in RUSSIAN_GIVEN["female"] if n in UKRAINIAN_FORMS), "Оксана", "Ганна"],
}
KAZAKH_GIVEN = {
    "male": _listed("Нұрсұлтан Асхат Ерлан Жақсылық Қайрат Ержан Данияр Бауыржан Айдос Ғалым Серік Әлихан Ербол"),
    "female": _listed("Жанар Айгүл Гүлнар Әсел Динара Жансая Айгерім Мөлдір Ақмарал Сәуле Жанна Еркежан"),
}
RUSSIAN_SURNAMES = _listed(
    "Щербаков Цой Хан Кузнецов Соловьёв Воробьёв Ананьев Зайцев Жуков Чернышёв Яковлев Юдин Ильин"
)
UKRAINIAN_SURNAMES = _listed("Шевченко Коваленко Бондаренко Ткаченко Кравчук Гнатюк Юрченко Зінченко Ярошенко Їжакевич")
KAZAKH_SURNAMES = _listed("Жақсыбеков Нұрланов Қасымов Әбенов Серікбаев Төлеуов Ерланов Ахметов")


@dataclass(frozen=True)
class RomanizedCase:
    """A registered person and an application checked against them, with its kind and truth."""

    registered: Person
    probe: Probe


def _surname(rng: random.Random, known: list[str], sex: str) -> str:
    # Mostly made-up surnames, so that namesakes come only from the kinds that make them.
    stem = (
        rng.choice(known)
        if known and rng.random() < 0.3
        else _word(rng, CYRILLIC_SYLLABLES, 2, 3) + rng.choice(["ов", "ев"])
    )
    feminine = sex == "female" and stem.endswith(("ов", "ев", "ин", "ёв"))
    return stem + "а" if feminine else stem


def _pick(rng: random.Random, systems: dict[str, Romanize], but: str | None = None) -> Romanize:
    return systems[rng.choice([name for name in systems if name != but])]


@dataclass(frozen=True)
class _Spellings:
    """Who the person is in Cyrillic, and how each of their two documents romanises it."""

    surname: str
    given: str
    sex: str
    citizenship: str
    registered_as: Romanize | None  # None: registered in Cyrillic
    applying_as: Romanize
    applying_given: str  # the Cyrillic given name the application's document romanises


def _spellings(rng: random.Random, kind: str) -> tuple[_Spellings, dict[str, list[str]]]:
    sex = rng.choice(["male", "female"])
    if kind == "old_and_icao_russian":
        given, pool = rng.choice(RUSSIAN_GIVEN[sex]), RUSSIAN_GIVEN
        return _Spellings(
            _surname(rng, RUSSIAN_SURNAMES, sex), given, sex, "RU", _pick(rng, OLD_RUSSIAN), ICAO, given
        ), pool
    if kind == "two_old_russian":
        names = rng.sample(sorted(OLD_RUSSIAN), 2)
        given, pool = rng.choice(RUSSIAN_GIVEN[sex]), RUSSIAN_GIVEN
        spelt = _Spellings(
            _surname(rng, RUSSIAN_SURNAMES, sex), given, sex, "RU", OLD_RUSSIAN[names[0]], OLD_RUSSIAN[names[1]], given
        )
        return spelt, pool
    if kind == "old_and_kmu_ukrainian":
        given, pool = rng.choice(UKRAINIAN_GIVEN[sex]), UKRAINIAN_GIVEN
        surname = rng.choice(UKRAINIAN_SURNAMES) if rng.random() < 0.5 else _surname(rng, [], sex)
        return _Spellings(surname, given, sex, "UA", _pick(rng, OLD_UKRAINIAN), KMU_2010, given), pool
    if kind == "kazakh":
        given, pool = rng.choice(KAZAKH_GIVEN[sex]), KAZAKH_GIVEN
        registered = None if rng.random() < 0.5 else _pick(rng, KAZAKH_DOCUMENTS)
        surname = rng.choice(KAZAKH_SURNAMES) + ("а" if sex == "female" else "")
        return _Spellings(surname, given, sex, "UZ", registered, _pick(rng, KAZAKH_DOCUMENTS), given), pool
    if kind in ("national_form", "ukrainian_letters"):
        # Forms ICAO 9303 writes alike (Юрий, Юрій: IURII) differ only in their alphabet's letters.
        alike = kind == "ukrainian_letters"
        forms = [
            n for n in RUSSIAN_GIVEN[sex] if n in UKRAINIAN_FORMS and (ICAO(n) == ICAO(UKRAINIAN_FORMS[n])) == alike
        ]
        given = rng.choice(forms)
        registered = ICAO if rng.random() < 0.5 else _pick(rng, OLD_RUSSIAN)
        spelt = _Spellings(_surname(rng, [], sex), given, sex, "UA", registered, KMU_2010, UKRAINIAN_FORMS[given])
        return spelt, UKRAINIAN_GIVEN
    raise ValueError(kind)


DUPLICATE_KINDS = [
    "old_and_icao_russian",
    "two_old_russian",
    "old_and_kmu_ukrainian",
    "kazakh",
    "national_form",
    "ukrainian_letters",
]
STRANGER_KINDS = ["romanized_twin", "romanized_namesake"]


def romanized_cases(seed: int, count: int, first_index: int) -> Iterator[RomanizedCase]:
    """`count` cases, duplicates and strangers alternating; registered people get IINs 9xxxxxxxxxxx
    and document numbers after the `first_index` registered ones."""
    rng = random.Random(seed)
    for i in range(count):
        duplicate_kind = DUPLICATE_KINDS[(i // 2) % len(DUPLICATE_KINDS)]
        spelt, pool = _spellings(rng, duplicate_kind)
        romanize = spelt.registered_as
        registered = Person(
            iin=f"9{i:011d}",
            surname=romanize(spelt.surname) if romanize else spelt.surname,
            given_names=romanize(spelt.given) if romanize else spelt.given,
            patronymic=None,
            sex=spelt.sex,
            birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58)),
            citizenship=spelt.citizenship,
            issuing_state=spelt.citizenship,
            number=_registered_number(rng, first_index + i),
            cyrillic=romanize is None,
        )
        again = spelt.applying_as
        applying = replace(
            registered,
            surname=again(spelt.surname),
            given_names=again(spelt.applying_given),
            number=_number(rng),
            cyrillic=False,
        )
        if i % 2 == 0:
            yield RomanizedCase(registered, Probe(duplicate_kind, applying, registered.iin))
        elif (i // 2) % 2 == 0:
            other = rng.choice([n for n in pool[spelt.sex] if n != spelt.applying_given])
            yield RomanizedCase(registered, Probe("romanized_twin", replace(applying, given_names=again(other)), None))
        else:
            other_surname = _surname(rng, [], spelt.sex)
            namesake = replace(applying, surname=again(other_surname))
            yield RomanizedCase(registered, Probe("romanized_namesake", namesake, None))
