"""The page a certificate's QR code opens: the verdict for a bank clerk or an employer, on a phone.

Kazakh, Russian and English together, no scripts, no external resources, and nothing the certificate
does not show itself: the verdict, the IIN partly masked, the establishment, the date and the number.
"""

import re
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.context import Context
from api.issued import limit_checks, verify
from api.ratelimit import TooManyRequests
from iin_models.api import CertificateVerification
from issued.certificate import KINDS, VERIFICATION_PATH, country_name

CERTIFICATE_NUMBER = re.compile(r"KZ(-[A-Z2-7]{4}){4}")

router = APIRouter()
HEADERS = {
    # frame-ancestors: no other site may frame the verdict (clickjacking); nosniff: served as HTML only.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "no-store",
}
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23}
main{max-width:36rem;margin:0 auto;padding:1rem}
h1{font-size:1.1rem;margin:.5rem 0 1rem}
.verdict{border-radius:.75rem;padding:1rem;margin-bottom:1rem;color:#fff;font-size:1.15rem;line-height:1.5}
.valid{background:#1a7f37}.revoked{background:#b35900}.unknown{background:#cf222e}.limited{background:#57606a}
dl{background:#fff;border-radius:.75rem;padding:1rem;margin:0}
dt{font-size:.8rem;color:#57606a;margin-top:.75rem}dt:first-child{margin-top:0}
dd{margin:0;font-size:1.05rem;font-weight:600;overflow-wrap:anywhere}
p.note{font-size:.8rem;color:#57606a}
"""
VERDICTS = {
    "valid": (
        "Куәлік түпнұсқа және жарамды",
        "Свидетельство подлинное и действительно",
        "The certificate is genuine and valid",
    ),
    "revoked": (
        "Куәлік түпнұсқа, бірақ кері қайтарылған",
        "Свидетельство подлинное, но отозвано",
        "The certificate is genuine but revoked",
    ),
    "unknown": ("Мұндай куәлік берілмеген", "Такое свидетельство не выдавалось", "No such certificate was issued"),
}
LABELS = {
    "iin": "ЖСН / ИИН / IIN",
    "establishment": "Шетелдегі мекеме / Загранучреждение / Foreign establishment",
    "issued_on": "Берілген күні / Дата выдачи / Date of issue",
    "number": "Куәліктің нөмірі / Номер свидетельства / Certificate number",
    "revoked_on": "Кері қайтарылған күні / Дата отзыва / Revoked on",
}


WAIT = (
    "Тексеру тым жиі сұралды. {seconds} секундтан кейін қайталаңыз.",
    "Слишком много проверок. Повторите через {seconds} с.",
    "Too many checks. Try again in {seconds} seconds.",
)
TITLE = "ЖСН куәлігін тексеру / Проверка свидетельства / Certificate check"
HEADING = "Тіркеу куәлігін тексеру / Проверка регистрационного свидетельства / Registration certificate check"


def _document(body: str) -> str:
    return (
        '<!doctype html><html lang="kk"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{TITLE}</title><style>{STYLE}</style>"
        f"</head><body><main><h1>{HEADING}</h1>{body}"
        '<p class="note">Қазақстан Республикасы · Республика Казахстан · Republic of Kazakhstan</p>'
        "</main></body></html>"
    )


def _verdict(kind: str, lines: tuple[str, str, str] | None = None, style: str | None = None) -> str:
    kk, ru, en = lines or VERDICTS[kind]
    return (
        f'<div class="verdict {style or kind}" id="verdict" data-verdict="{kind}">'
        f'<div lang="kk">{kk}</div><div lang="ru">{ru}</div><div lang="en">{en}</div></div>'
    )


def render_page(number: str, verification: CertificateVerification | None) -> str:
    """The whole page for `number`: the verdict first, then what the certificate shows."""
    rows: list[tuple[str, str]] = [("number", number)]
    if verification is None:
        verdict = _verdict("unknown")
    else:
        verdict = _verdict(verification.status)
        shown = verification.establishment
        rows = [
            ("iin", verification.iin_masked),
            ("establishment", f"{KINDS[shown.kind].joined()}: {shown.city}, {country_name(shown.country)}"),
            ("issued_on", verification.issued_on.strftime("%d.%m.%Y")),
            *rows,
        ]
        if verification.revoked_on is not None:
            rows.append(("revoked_on", verification.revoked_on.strftime("%d.%m.%Y")))
    details = "".join(f'<dt>{escape(LABELS[k])}</dt><dd id="{k}">{escape(v)}</dd>' for k, v in rows)
    return _document(f"{verdict}<dl>{details}</dl>")


def render_too_many(seconds: int) -> str:
    """The page instead of a verdict when the client's address made too many checks: when to try again."""
    kk, ru, en = (line.format(seconds=seconds) for line in WAIT)
    return _document(_verdict("rate-limited", (kk, ru, en), style="limited"))


@router.get(VERIFICATION_PATH + "{number}", response_class=HTMLResponse, include_in_schema=False)
async def verification_page(number: str, request: Request, context: Context) -> HTMLResponse:
    """The verification page of a certificate number; an unknown number shows 'not issued' (404).

    Counted with the JSON check against the client's address: past its limit, a page saying when to try
    again (429, Retry-After), with the page's own headers."""
    try:
        await limit_checks(request)
    except TooManyRequests as refused:
        headers = HEADERS | {"Retry-After": str(refused.retry_after)}
        return HTMLResponse(render_too_many(refused.retry_after), status_code=429, headers=headers)
    # A number that cannot be a certificate's (api.issued.CertificateNumber) was never issued; it is not
    # looked up, so bytes PostgreSQL refuses in text (NUL) never reach it.
    verification = await verify(context, number) if CERTIFICATE_NUMBER.fullmatch(number) else None
    return HTMLResponse(
        render_page(number[:64], verification), status_code=404 if verification is None else 200, headers=HEADERS
    )
