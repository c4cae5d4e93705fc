"""The rejection notice: the reasons for refusing an IIN, each with its legal ground, as a PDF."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from iin_models.decisions import Finding
from iin_models.enums import RejectionReason
from issued.certificate import (
    BIRTH_DATE,
    CITIZENSHIP,
    ESTABLISHMENT,
    GIVEN_NAMES,
    SURNAME,
    EstablishmentOnDocument,
    country_name,
    establishment_line,
)
from issued.layout import Label, field, new_page, paragraph, to_bytes

TITLE = Label("Бас тарту туралы хабарлама", "Уведомление об отказе", "Notice of refusal")
SUBTITLE = Label(
    "шетелдікке жеке сәйкестендіру нөмірін (ЖСН) қалыптастырудан",
    "в формировании иностранцу индивидуального идентификационного номера (ИИН)",
    "to form an individual identification number (IIN) for a foreigner",
)
APPLICATION = Label("Өтініш", "Заявление", "Application")
DECIDED_ON = Label("Шешім күні", "Дата решения", "Date of decision")
NUMBER = Label("Хабарламаның нөмірі", "Номер уведомления", "Notice number")
REASONS = Label("Бас тарту негіздері", "Основания отказа", "Grounds for refusal")
FINDINGS = Label("Анықталғаны", "Выявлено", "Found")
# The three grounds for refusal of the joint order of 19 March 2024, in its words.
ORDER = Label(
    "2024 жылғы 19 наурыздағы бірлескен бұйрық",
    "совместный приказ от 19 марта 2024 года",
    "joint order of 19 March 2024",
)
GROUNDS = {
    RejectionReason.DOCUMENTS_UNRELIABLE: Label(
        "ұсынылған құжаттардың және (немесе) олардағы деректердің (мәліметтердің) анық еместігін анықтау",
        "установление недостоверности представленных документов и (или) данных (сведений), содержащихся в них",
        "the documents submitted, or the data in them, were found unreliable",
    ),
    RejectionReason.REQUIREMENTS_NOT_MET: Label(
        "шетелдіктің деректерінің Қазақстан Республикасының нормативтік құқықтық актілерінің талаптарына"
        " сәйкес келмеуі",
        "несоответствие данных иностранца требованиям нормативных правовых актов Республики Казахстан",
        "the foreigner's data do not meet the requirements of the regulatory legal acts of the Republic of Kazakhstan",
    ),
    RejectionReason.ALREADY_REGISTERED: Label(
        "шетелдіктің тіркелген ЖСН-і бар",
        "наличие у иностранца зарегистрированного ИИН",
        "the foreigner already has a registered IIN",
    ),
}


class NoticeContent(BaseModel):
    """What the rejection notice states; stored beside the PDF, which is rendered from it alone."""

    model_config = ConfigDict(frozen=True)

    number: str
    application_id: UUID
    surname: str
    given_names: str
    birth_date: date
    citizenship: str
    establishment: EstablishmentOnDocument
    reasons: tuple[RejectionReason, ...]
    findings: tuple[Finding, ...]
    decided_on: date
    issued_at: datetime


def render_notice(content: NoticeContent) -> bytes:
    """The notice as a PDF: who, which application, and each reason with its ground and findings."""
    pdf = new_page(TITLE, SUBTITLE, content.issued_at)
    field(pdf, NUMBER, content.number)
    field(pdf, APPLICATION, str(content.application_id))
    field(pdf, SURNAME, content.surname)
    field(pdf, GIVEN_NAMES, content.given_names)
    field(pdf, BIRTH_DATE, content.birth_date.strftime("%d.%m.%Y"))
    field(pdf, CITIZENSHIP, country_name(content.citizenship))
    field(pdf, ESTABLISHMENT, establishment_line(content.establishment))
    field(pdf, DECIDED_ON, content.decided_on.strftime("%d.%m.%Y"))
    paragraph(pdf, REASONS.joined(), size=12, bold=True, fixed=True)
    for index, reason in enumerate(content.reasons, start=1):
        ground = GROUNDS[reason]
        pdf.ln(2)
        paragraph(pdf, f"{index}. [{reason.value}] ({ORDER.joined()})", size=10, bold=True, fixed=True)
        for text in (ground.kk, ground.ru, ground.en):
            paragraph(pdf, text, fixed=True)
        findings = [f for f in content.findings if f.reason is reason]
        if findings:
            paragraph(pdf, FINDINGS.joined() + ":", size=9, bold=True, fixed=True)
            for finding in findings:
                paragraph(pdf, f"• {finding.code} — {finding.field}: {finding.message}", size=9)
    return to_bytes(pdf)
