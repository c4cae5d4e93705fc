"""A holder of an IIN as an extract of the national register lists them: one row of `iin register import`.

The fields are typed as an application's applicant and identity document are (iin_models/application.py),
so an imported holder is held to the same structural rules as a person this service registers.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from iin_models.enums import Sex
from iin_models.text import CountryCode, DocumentNumber, PersonName
from rules.iin import is_valid_iin

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iin(value: str) -> str:
    # Only the structure is checked: since 2013 the first six digits need not be the birth date, so
    # an IIN is never compared with the holder's birth date or sex.
    if not (len(value) == 12 and value.isascii() and value.isdigit()):
        raise ValueError("must be 12 digits")
    if value[6] not in "123456":
        raise ValueError("the 7th digit (century and sex) must be 1 to 6")
    if not is_valid_iin(value):
        raise ValueError("the check digit (the 12th) is wrong")
    return value


def _blank_is_none(value: object) -> object:
    # An empty CSV cell is an absent patronymic, not an invalid one.
    return None if isinstance(value, str) and not value.strip() else value


def _iso_date(value: object) -> object:
    # Pydantic would read 19800102 as a Unix timestamp; a file's dates must be unambiguous.
    if isinstance(value, str) and not _ISO_DATE.match(value.strip()):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


Iin = Annotated[str, AfterValidator(_iin)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class RegisteredHolder(BaseModel):
    """One row of an extract: the holder's IIN, particulars and one identity document."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    iin: Iin
    surname: PersonName
    given_names: PersonName
    patronymic: Annotated[PersonName | None, BeforeValidator(_blank_is_none)] = None
    sex: Sex
    birth_date: IsoDate
    citizenship: CountryCode
    document_issuing_state: CountryCode
    document_number: DocumentNumber
