"""The review desk's HTML, rendered on the server: no scripts, every value escaped, usable from the keyboard.

Plain links and forms in document order (a skip link first, visible focus, labels on every control,
table headers with scope), so Tab, Enter and Space do everything a mouse would.
"""

from datetime import datetime
from html import escape
from urllib.parse import urlencode
from uuid import UUID

from api.comparison import waited
from api.desk_text import LANG_NAMES, LANGS, Lang, text
from iin_models.desk import CandidateShown, PersonAsFiled, ReviewComparison, ReviewQueuePage
from iin_models.national_register import RegisteredDocument

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23}
header,main{max-width:72rem;margin:0 auto;padding:.75rem 1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}
h1{font-size:1.2rem;margin:.25rem 0}h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1rem}
th,td{border:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#eaeef2}
a,button,input,textarea{font:inherit}
a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #0969da;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem}
.agrees{color:#1a7f37}.differs{color:#cf222e;font-weight:600}.unknown{color:#57606a}
.breached{color:#cf222e;font-weight:600}
.notice{background:#fff;border-left:4px solid #0969da;padding:.5rem 1rem}
.error{background:#fff;border-left:4px solid #cf222e;padding:.5rem 1rem}
fieldset{background:#fff;border:1px solid #d0d7de;margin-bottom:1rem}
label{display:block;margin:.4rem 0}
input[type=text],input[type=password],textarea{width:100%;max-width:30rem}
nav a{margin-right:.5rem}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _link(path: str, lang: Lang, **params: str) -> str:
    return f"{path}?{urlencode({'lang': lang} | params)}"


def page(title: str, body: str, lang: Lang, *, signed_in: str | None = None, path: str = "/desk") -> str:
    """A whole page: the language switch, the sign-out form (with its CSRF token) when signed in, `body`."""
    languages = " ".join(
        f'<a href="{_e(_link(path, other))}" lang="{other}" hreflang="{other}"'
        f"{' aria-current=page' if other == lang else ''}>{_e(LANG_NAMES[other])}</a>"
        for other in LANGS
    )
    sign_out = (
        f'<form method="post" action="/desk/logout"><input type="hidden" name="csrf" value="{_e(signed_in)}">'
        f'<input type="hidden" name="lang" value="{lang}"><button id="sign-out">{_e(text("sign_out", lang))}</button>'
        "</form>"
        if signed_in is not None
        else ""
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} · {_e(text('title', lang))}</title><style>{STYLE}</style></head><body>"
        f'<a class="skip" href="#main">{_e(text("skip", lang))}</a>'
        f'<header><h1>{_e(text("title", lang))}</h1><nav aria-label="lang">{languages}</nav>{sign_out}</header>'
        f'<main id="main" tabindex="-1">{body}</main></body></html>'
    )


def sign_in_page(lang: Lang, message: str | None = None) -> str:
    """The sign-in form: a reviewer's key, posted once, answered with a session cookie."""
    error = f'<p class="error" role="alert">{_e(message)}</p>' if message else ""
    body = (
        f"<h2>{_e(text('sign_in', lang))}</h2>{error}<p>{_e(text('sign_in_intro', lang))}</p>"
        f'<form method="post" action="/desk/session"><input type="hidden" name="lang" value="{lang}">'
        f'<label for="key">{_e(text("key", lang))}</label>'
        '<input id="key" name="key" type="password" autocomplete="off" required autofocus>'
        f'<p><button id="sign-in">{_e(text("sign_in", lang))}</button></p></form>'
    )
    return page(text("sign_in", lang), body, lang)


def waited_text(seconds: int, lang: Lang) -> str:
    """A wait as days, hours and minutes."""
    days, rest = divmod(seconds, 86400)
    hours, minutes = divmod(rest // 60, 60)
    parts = [(days, "days"), (hours, "hours"), (minutes, "minutes")]
    shown = [f"{n} {text(unit, lang)}" for n, unit in parts if n] or [f"0 {text('minutes', lang)}"]
    return " ".join(shown)


def _filters(lang: Lang, establishment: str | None, breached: bool | None) -> str:
    def option(value: str, label: str) -> str:
        current = "" if breached is None else str(breached).lower()
        return f'<option value="{value}"{" selected" if value == current else ""}>{_e(label)}</option>'

    return (
        f'<form method="get" action="/desk"><input type="hidden" name="lang" value="{lang}">'
        f'<label for="establishment">{_e(text("establishment", lang))}</label>'
        f'<input id="establishment" name="establishment" type="text" value="{_e(establishment)}">'
        f'<label for="breached">{_e(text("breached", lang))}</label><select id="breached" name="breached">'
        f"{option('', text('any', lang))}{option('true', text('yes', lang))}{option('false', text('no', lang))}"
        f"</select> <button>{_e(text('filter', lang))}</button></form>"
    )


def queue_page(
    queue: ReviewQueuePage,
    lang: Lang,
    csrf: str,
    *,
    establishment: str | None = None,
    breached: bool | None = None,
    notice: str | None = None,
) -> str:
    """The queue: one row per application awaiting review, the most urgent first, each with a link to open it."""
    rows = "".join(
        f'<tr data-application="{item.application_id}">'
        f'<td><a href="{_e(_link(f"/desk/applications/{item.application_id}", lang))}">{_e(text("open", lang))} '
        f"{_e(str(item.application_id)[:8])}</a></td>"
        f"<td>{_e(item.establishment_id)}</td><td>{_e(item.due_date.isoformat())}</td>"
        f"<td>{_e(waited_text(item.waiting_seconds, lang))}</td>"
        f"<td>{_e(', '.join(f'{text(m.band, lang)}: {text(m.basis, lang)}' for m in item.matches))}</td>"
        f"<td>{item.approvals}</td>"
        + (
            f'<td class="breached">{_e(text("breached", lang))}</td>'
            if item.breached
            else f"<td>{_e(text('on_time', lang))}</td>"
        )
        + "</tr>"
        for item in queue.items
    )
    headers = "".join(
        f'<th scope="col">{_e(text(k, lang))}</th>'
        for k in ("application", "establishment", "due", "waiting", "matches", "approvals", "breached")
    )
    table = (
        f'<table id="queue"><caption>{_e(text("queue", lang))}</caption><thead><tr>{headers}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        if queue.items
        else f'<p id="queue-empty">{_e(text("empty", lang))}</p>'
    )
    more = ""
    if queue.next_cursor:
        params = {"cursor": queue.next_cursor} | ({"establishment": establishment} if establishment else {})
        more = f'<p><a href="{_e(_link("/desk", lang, **params))}">{_e(text("next_page", lang))}</a></p>'
    shown_notice = f'<p class="notice" id="notice" role="status">{_e(notice)}</p>' if notice else ""
    body = f"{shown_notice}<h2>{_e(text('queue', lang))}</h2>{_filters(lang, establishment, breached)}{table}{more}"
    return page(text("queue", lang), body, lang, signed_in=csrf)


def _documents(documents: tuple[RegisteredDocument, ...]) -> str:
    return "<br>".join(
        _e(" ".join(str(p) for p in (d.kind, d.issuing_state, d.number) if p))
        + (
            f" ({_e(d.issued_on.isoformat())}{' – ' + _e(d.expires_on.isoformat()) if d.expires_on else ''})"
            if d.issued_on
            else ""
        )
        for d in documents
    )


def _value(field: str, value: str | None, lang: Lang) -> str:
    return _e(text(value, lang) if field == "sex" and value else value)


def _candidate(index: int, candidate: CandidateShown, applicant: PersonAsFiled, lang: Lang) -> str:
    match = candidate.match
    title = (
        f'<h2 id="candidate-{index}">{_e(text("candidate", lang))} {index}: ЖСН/ИИН/IIN {_e(candidate.iin)}</h2>'
        f"<p>{_e(text('basis', lang))}: {_e(text(match.band, lang))}, {_e(text(match.basis, lang))}</p>"
    )
    person = candidate.person
    if person is None:
        return f'{title}<p class="unknown">{_e(text("not_in_register", lang))}</p>'
    rows = "".join(
        f'<tr data-field="{_e(f.field)}"><th scope="row">{_e(text(f.field, lang))}</th>'
        f'<td class="applicant">{_value(f.field, f.applicant, lang)}</td>'
        f'<td class="candidate">{_value(f.field, f.candidate, lang)}</td>'
        f'<td class="{f.agreement}">{_e(text(f.agreement, lang))}</td></tr>'
        for f in candidate.fields
    )
    formed = f"{person.formed_at:%Y-%m-%d %H:%M} UTC, {person.formed_through or '?'}"
    rows += (
        f'<tr><th scope="row">{_e(text("documents", lang))}</th><td>{_documents(applicant.documents)}</td>'
        f"<td>{_documents(person.documents)}</td><td></td></tr>"
        f'<tr><th scope="row">{_e(text("formed", lang))}</th><td></td><td>{_e(formed)}</td><td></td></tr>'
    )
    headers = "".join(
        f'<th scope="col">{_e(text(k, lang))}</th>' for k in ("field", "applicant", "candidate", "comparison")
    )
    return (
        f'{title}<table class="comparison" aria-labelledby="candidate-{index}"><thead><tr>{headers}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def comparison_page(shown: ReviewComparison, lang: Lang, csrf: str, request_key: UUID, now: datetime) -> str:
    """Both people side by side, and the verdict form (its Idempotency-Key fixed when the page was made)."""
    application_id = shown.application_id
    head = (
        f'<p><a href="{_e(_link("/desk", lang))}">{_e(text("back", lang))}</a></p>'
        f"<h2>{_e(text('application', lang))} {_e(application_id)}</h2>"
        f'<p class="notice">{_e(text("personal_data", lang))}</p>'
        f"<p>{_e(text('establishment', lang))}: {_e(shown.establishment_id)} · {_e(text('due', lang))}: "
        f"{_e(shown.due_date.isoformat())}"
        + (f' · <span class="breached">{_e(text("breached", lang))}</span>' if shown.breached else "")
        + f" · {_e(text('waiting', lang))}: {_e(waited_text(waited(shown.waiting_since, now), lang))}</p>"
    )
    candidates = "".join(_candidate(i, c, shown.applicant, lang) for i, c in enumerate(shown.candidates, start=1))
    four_eyes = f'<p class="notice">{_e(text("four_eyes", lang))}</p>' if shown.four_eyes else ""
    radios = "".join(
        f'<label><input type="radio" name="verdict" id="verdict-{v}" value="{v}" required> {_e(text(v, lang))}</label>'
        for v in ("same_person", "different_person")
    )
    form = (
        f'<form method="post" action="/desk/applications/{application_id}/verdict" id="verdict-form">'
        f'<input type="hidden" name="csrf" value="{_e(csrf)}"><input type="hidden" name="lang" value="{lang}">'
        f'<input type="hidden" name="request_key" value="{request_key}">'
        f"<fieldset><legend>{_e(text('decide', lang))}</legend>{four_eyes}{radios}"
        f'<label for="officer_id">{_e(text("officer", lang))}</label>'
        '<input id="officer_id" name="officer_id" type="text" required maxlength="64" autocomplete="username">'
        f'<label for="note">{_e(text("note", lang))}</label><textarea id="note" name="note" rows="2" maxlength="500">'
        f'</textarea><p><button id="send">{_e(text("send", lang))}</button></p></fieldset></form>'
    )
    return page(
        str(application_id), head + candidates + form, lang, signed_in=csrf, path=f"/desk/applications/{application_id}"
    )


def message_page(title: str, message: str, lang: Lang, csrf: str | None, *, error: bool = True) -> str:
    """A refusal or an outcome, with the way back to the queue."""
    kind = "error" if error else "notice"
    body = (
        f'<h2>{_e(title)}</h2><p class="{kind}" role="alert" id="message">{_e(message)}</p>'
        f'<p><a href="{_e(_link("/desk", lang))}">{_e(text("back", lang))}</a></p>'
    )
    return page(title, body, lang, signed_in=csrf)
