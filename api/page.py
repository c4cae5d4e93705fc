"""The page a certificate's QR code opens: the verdict for a bank clerk or an employer, on a phone.

Kazakh, Russian and English together, no scripts, no external resources, and nothing the certificate
does not show itself: the verdict, the IIN partly masked, the establishment, the date and the number.
"""

import re
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.context import Context
from api.issued import verify
from api.models import CertificateVerification
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
.valid{background:#1a7f37}.revoked{background:#b35900}.unknown{background:#cf222e}
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


def _verdict(kind: str) -> str:
    kk, ru, en = VERDICTS[kind]
    return (
        f'<div class="verdict {kind}" id="verdict" data-verdict="{kind}">'
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
    return (
        '<!doctype html><html lang="kk"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>ЖСН куәлігін тексеру / Проверка свидетельства / Certificate check</title><style>{STYLE}</style>"
        "</head><body><main>"
        "<h1>Тіркеу куәлігін тексеру / Проверка регистрационного свидетельства / Registration certificate check</h1>"
        f"{verdict}<dl>{details}</dl>"
        '<p class="note">Қазақстан Республикасы · Республика Казахстан · Republic of Kazakhstan</p>'
        "</main></body></html>"
    )


@router.get(VERIFICATION_PATH + "{number}", response_class=HTMLResponse, include_in_schema=False)
async def verification_page(number: str, context: Context) -> HTMLResponse:
    """The verification page of a certificate number; an unknown number shows 'not issued' (404)."""
    # A number that cannot be a certificate's (api.issued.CertificateNumber) was never issued; it is not
    # looked up, so bytes PostgreSQL refuses in text (NUL) never reach it.
    verification = await verify(context, number) if CERTIFICATE_NUMBER.fullmatch(number) else None
    return HTMLResponse(
        render_page(number[:64], verification), status_code=404 if verification is None else 200, headers=HEADERS
    )
