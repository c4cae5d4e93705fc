"""The registration certificate: what it states, and its PDF with a QR code to its verification page."""

from datetime import date, datetime

import pycountry
from pydantic import BaseModel, ConfigDict

from iin_models.enums import EstablishmentKind
from issued.layout import Label, field, new_page, paragraph, qr_code, to_bytes
from schemas.establishment import Establishment

TITLE = Label("Тіркеу куәлігі", "Регистрационное свидетельство", "Registration certificate")
SUBTITLE = Label(
    "шетелдікке жеке сәйкестендіру нөмірін (ЖСН) қалыптастыру туралы",
    "о формировании иностранцу индивидуального идентификационного номера (ИИН)",
    "on the formation of an individual identification number (IIN) for a foreigner",
)
IIN = Label("ЖСН", "ИИН", "IIN")
SURNAME = Label("Тегі", "Фамилия", "Surname")
GIVEN_NAMES = Label("Аты", "Имя", "Given names")
PATRONYMIC = Label("Әкесінің аты", "Отчество", "Patronymic")
BIRTH_DATE = Label("Туған күні", "Дата рождения", "Date of birth")
CITIZENSHIP = Label("Азаматтығы", "Гражданство", "Citizenship")
ESTABLISHMENT = Label("Шетелдегі мекеме", "Загранучреждение", "Foreign establishment")
ISSUED_ON = Label("Берілген күні", "Дата выдачи", "Date of issue")
NUMBER = Label("Куәліктің нөмірі", "Номер свидетельства", "Certificate number")
VERIFY = Label(
    "Түпнұсқалығын тексеру үшін QR-кодты сканерлеңіз",
    "Для проверки подлинности отсканируйте QR-код",
    "Scan the QR code to check that it is genuine",
)
ELECTRONIC = Label("Электрондық түрде қалыптастырылды", "Сформировано в электронном виде", "Issued in electronic form")
KINDS = {
    EstablishmentKind.EMBASSY: Label("Елшілік", "Посольство", "Embassy"),
    EstablishmentKind.CONSULATE_GENERAL: Label("Бас консулдық", "Генеральное консульство", "Consulate General"),
}


class EstablishmentOnDocument(BaseModel):
    """The establishment as a document names it."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: EstablishmentKind
    city: str
    country: str

    @classmethod
    def of(cls, establishment: Establishment) -> "EstablishmentOnDocument":
        """What a document shows of `establishment`."""
        return cls(
            id=establishment.id, kind=establishment.kind, city=establishment.city, country=str(establishment.country)
        )


class CertificateContent(BaseModel):
    """What the certificate states; stored beside the PDF, which is rendered from it alone."""

    model_config = ConfigDict(frozen=True)

    number: str
    iin: str
    surname: str
    given_names: str
    patronymic: str | None
    birth_date: date
    citizenship: str
    establishment: EstablishmentOnDocument
    issued_on: date
    issued_at: datetime


VERIFICATION_PATH = "/verify/"


def verification_url(public_base_url: str, number: str) -> str:
    """The public address of a certificate's verification page: what its QR code encodes."""
    return public_base_url.rstrip("/") + VERIFICATION_PATH + number


def country_name(code: str) -> str:
    """`TR — Türkiye`: the code with the English short name, or the code alone if unknown."""
    country = pycountry.countries.get(alpha_2=code)
    return f"{code} — {country.name}" if country is not None else code


def establishment_line(establishment: EstablishmentOnDocument) -> str:
    """`Embassy …: Ankara, TR — Türkiye` in three languages."""
    return f"{KINDS[establishment.kind].joined()}: {establishment.city}, {country_name(establishment.country)}"


def render_certificate(content: CertificateContent, verification_url: str) -> bytes:
    """The certificate as a one-page PDF whose QR code encodes `verification_url`."""
    pdf = new_page(TITLE, SUBTITLE, content.issued_at)
    field(pdf, IIN, content.iin)
    field(pdf, SURNAME, content.surname)
    field(pdf, GIVEN_NAMES, content.given_names)
    if content.patronymic:
        field(pdf, PATRONYMIC, content.patronymic)
    field(pdf, BIRTH_DATE, content.birth_date.strftime("%d.%m.%Y"))
    field(pdf, CITIZENSHIP, country_name(content.citizenship))
    field(pdf, ESTABLISHMENT, establishment_line(content.establishment))
    field(pdf, ISSUED_ON, content.issued_on.strftime("%d.%m.%Y"))
    field(pdf, NUMBER, content.number)
    pdf.ln(2)
    qr_code(pdf, verification_url, VERIFY)
    paragraph(pdf, ELECTRONIC.joined(), size=8, fixed=True)
    return to_bytes(pdf)
