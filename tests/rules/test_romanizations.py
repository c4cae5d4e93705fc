"""Reading Latin spellings back into the Cyrillic they may have been romanised from."""

from itertools import combinations

import iuliia
import pytest
import translitua
from hypothesis import given
from hypothesis import strategies as st

from rules.names import fold, name_keys
from rules.romanizations import MAX_READINGS, SYSTEMS, readings


def words(text: str) -> list[str]:
    return text.split()


NAMES = {
    "russian": words(
        "Юрий Александр Сергей Дмитрий Евгений Андрей Алексей Михаил Николай Игорь Артём Фёдор Григорий"
        " Василий Анатолий Геннадий Илья Пётр Хабибулла Даниил Данила Вячеслав Ярослав Эдуард Ян Иван Иона"
        " Наталья Наталия Татьяна Ольга Ксения Юлия Юлиана Мария Марина Марьяна Дарья Дарина Екатерина Елена"
        " Алёна Алина Альбина Ирина Арина Жанна Софья София Евгения Анна Яна Майя Зоя Эльвира Эльмира Лилия"
        " Щербаков Цой Хан Соловьёв Ананьев Зайцев Жуков Чернышёв Юдин Ильин"
    ),
    "ukrainian": words(
        "Олександр Олексій Сергій Дмитро Андрій Михайло Юрій Євген Микола Ігор Тарас Богдан Наталія Тетяна"
        " Олена Катерина Юлія Марія Ксенія Ірина Оксана Ганна Галина Шевченко Гнатюк Зінченко Ярошенко"
    ),
}
# The libraries' own romanisations, by language: what documents wrote, to be read back.
ROMANIZE = {
    "russian": [
        schema.translate
        for schema in (
            iuliia.ICAO_DOC_9303,
            iuliia.GOST_52535,
            iuliia.MVD_782,
            iuliia.MVD_310,
            iuliia.MVD_310_FR,
            iuliia.BGN_PCGN,
            iuliia.GOST_779_ALT,
            iuliia.WIKIPEDIA,
        )
    ],
    "ukrainian": [
        lambda text, table=table: translitua.translit(text, table)
        for table in (
            translitua.UkrainianKMU,
            translitua.UkrainianPassport2007,
            translitua.UkrainianPassport2004Alt,
            translitua.UkrainianNational1996,
            translitua.UkrainianBGN,
            translitua.UkrainianGerman,
            translitua.UkrainianFrench,
        )
    ],
}


def read_back(latin: str) -> frozenset[str]:
    return frozenset().union(*readings(latin))


@pytest.mark.parametrize(
    ("spelt", "cyrillic_in_icao"),
    [
        ("YURIY", "IURII"),  # Юрий, Russian passports 1997-2010 (MVD 310, MVD 782)
        ("SERGEY", "SERGEI"),  # Сергей, MVD 310
        ("NATALYA", "NATALIA"),  # Наталья, MVD 310: the soft sign and Я as YA
        ("YEVGENIY", "EVGENII"),  # Евгений, BGN/PCGN: Е first as YE
        ("TSOY", "TSOI"),  # Цой, MVD 782
        ("PYOTR", "PETR"),  # Пётр, GOST 7.79 B and the English press
        ("YURY", "IURII"),  # Юрий, the English press: -ий as -y
    ],
)
def test_old_russian_passport_spelling_reads_back_to_the_icao_one(spelt: str, cyrillic_in_icao: str) -> None:
    assert cyrillic_in_icao in read_back(spelt)


@pytest.mark.parametrize(
    ("spelt", "cyrillic_in_icao"),
    [("JURIJ", "IURII"), ("SCHUKOW", "ZHUKOV"), ("PJOTR", "PETR"), ("IOURII", "IURII"), ("ALEXEI", "ALEKSEI")],
)
def test_german_and_french_spellings_read_back_to_the_icao_one(spelt: str, cyrillic_in_icao: str) -> None:
    assert cyrillic_in_icao in read_back(spelt)


def test_ukrainian_spellings_of_2004_and_2010_read_back_to_one_cyrillic() -> None:
    # Сергій: SERGIY in a Russian-style document, SERHII by the 2010 national system; ICAO: SERGII.
    assert "SERGII" in read_back("SERGIY") & read_back("SERHII")


@pytest.mark.parametrize(("spelt", "cyrillic_in_icao"), [("JANAR", "ZHANAR"), ("HABIBULLA", "KHABIBULLA")])
def test_kazakh_latin_reads_back_to_the_russian_rendering(spelt: str, cyrillic_in_icao: str) -> None:
    assert cyrillic_in_icao in read_back(spelt)


@pytest.mark.parametrize(
    ("ukrainian", "russian"),
    [("OLEKSANDR", "ALEKSANDR"), ("SERHII", "SERGEY"), ("DMYTRO", "DMITRIY"), ("MYKHAILO", "MIKHAIL")],
)
def test_another_national_form_never_reads_back_to_the_same_cyrillic(ukrainian: str, russian: str) -> None:
    assert not read_back(ukrainian) & read_back(russian)


@pytest.mark.parametrize(
    "system",
    [
        "ICAO Doc 9303 (Russian passports since 2013)",
        "MVD 782-2000 (Russian passports 2000-2010)",
        "Ukrainian national, KMU No. 55 (Ukrainian passports since 2010)",
    ],
)
def test_a_multi_letter_spelling_is_read_as_one_letter(system: str) -> None:
    # Where SHCH is Щ it is never Ш and Ч, nor С, a Ukrainian Г (H) and Ч.
    assert readings("SHCHERBAKOV")[list(SYSTEMS).index(system)] == {"SHCHERBAKOV"}


def test_a_word_no_system_writes_has_no_reading() -> None:
    assert read_back("WQXW") == frozenset()


def test_systems_read_in_the_order_they_are_listed() -> None:
    icao = list(SYSTEMS).index("ICAO Doc 9303 (Russian passports since 2013)")
    assert readings("IURII")[icao] == {"IURII"}


@pytest.mark.parametrize("language", sorted(NAMES))
def test_each_romanisation_of_a_name_shares_a_key_with_its_icao_spelling(language: str) -> None:
    missed = [
        (name, spelt)
        for name in NAMES[language]
        for spelt in {fold(romanize(name)) for romanize in ROMANIZE[language]}
        if not name_keys("PETROV", spelt) & name_keys("PETROV", name)
    ]

    assert missed == []


def test_different_names_never_share_a_key_under_any_two_systems() -> None:
    keys = {
        name: [name_keys("PETROV", fold(romanize(name))) for romanize in ROMANIZE[language]]
        + [name_keys("PETROV", name)]
        for language, names in NAMES.items()
        for name in names
    }
    # Names ICAO writes alike (Юрий and Юрій: IURII) are one name in two alphabets.
    shared = [
        (one, other)
        for one, other in combinations(keys, 2)
        if fold(one) != fold(other) and any(a & b for a in keys[one] for b in keys[other])
    ]

    assert shared == []


@given(st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), max_size=24))
def test_readings_are_bounded_and_in_the_key_alphabet(word: str) -> None:
    for of_one_system in readings(word):
        assert len(of_one_system) <= MAX_READINGS
        assert all(spelt.isascii() and spelt.isalpha() and spelt.isupper() for spelt in of_one_system)
