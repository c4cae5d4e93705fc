"""A sample application, for trying the stack: a Chinese applicant at the embassy in Beijing."""

from datetime import date, datetime, timedelta
from uuid import uuid4

from iin_models.application import Applicant, Application, IdentityDocument, Translation
from iin_models.enums import Certification, DocumentKind, Sex

# Romanized and in characters, so the native name agrees with the Latin one.
SURNAMES = (
    "Wang 王, Li 李, Zhang 张, Liu 刘, Chen 陈, Yang 杨, Zhao 赵,"
    " Huang 黄, Zhou 周, Wu 吴, Xu 徐, Sun 孙, Ma 马, Zhu 朱"
)
SYLLABLES = (
    "Ming 明, Wei 伟, Fang 芳, Min 敏, Jing 静, Lei 磊, Yong 勇, Jie 杰, Tao 涛, Hui 慧,"
    " Hua 华, Jun 军, Ping 平, Gang 刚, Xia 霞, Lan 兰, Qiang 强, Bo 波, Hong 红, Yan 燕,"
    " Ning 宁, Xin 欣, Yu 宇, Hao 浩, Kai 凯, Lin 林, Rui 瑞, Zhen 珍"
)


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(latin, native) for latin, native in (item.split() for item in text.split(","))]


SURNAME_PAIRS = _pairs(SURNAMES)
SYLLABLE_PAIRS = _pairs(SYLLABLES)


def sample_application(now: datetime, establishment_id: str = "emb-cn-beijing") -> Application:
    """A valid application submitted at `now`, with a notarized and apostilled translation.

    The name (one of 14 x 28 x 28), birth date (one of 20,000 days) and passport number are drawn at
    random, so that each run forms a new IIN instead of finding an earlier run's applicant registered
    or close enough to one to wait for a review. Its documents' dates lie days and
    years from `now`, so no local date anywhere on Earth makes them issued in the future or expired.
    """
    today = now.date()
    suffix = uuid4()
    draw = suffix.int
    surname, surname_native = SURNAME_PAIRS[draw % len(SURNAME_PAIRS)]
    draw //= len(SURNAME_PAIRS)
    first, first_native = SYLLABLE_PAIRS[draw % len(SYLLABLE_PAIRS)]
    draw //= len(SYLLABLE_PAIRS)
    second, second_native = SYLLABLE_PAIRS[draw % len(SYLLABLE_PAIRS)]
    draw //= len(SYLLABLE_PAIRS)
    birth = date(1950, 1, 1) + timedelta(days=draw % 20_000)
    return Application(
        application_id=suffix,
        establishment_id=establishment_id,
        submitted_at=now,
        officer_id="consul-demo",
        original_compared=True,
        applicant=Applicant(
            surname=surname,
            given_names=first + second.lower(),
            native_name=surname_native + first_native + second_native,
            sex=Sex.MALE,
            birth_date=birth,
            citizenship="CN",
        ),
        document=IdentityDocument(
            kind=DocumentKind.PASSPORT,
            number=f"E{suffix.int % 10**8:08d}",
            issuing_state="CN",
            issued_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=3000),
            particulars_in_latin_or_cyrillic=False,
        ),
        translation=Translation(
            notarized=True,
            notary="Beijing Notary Office",
            notarized_in="CN",
            notarized_on=today - timedelta(days=20),
            certification=Certification.APOSTILLE,
            certified_on=today - timedelta(days=10),
        ),
    )
