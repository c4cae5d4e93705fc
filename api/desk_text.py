"""The review desk's words in Kazakh, Russian and English: one entry per text, (kk, ru, en)."""

from typing import Literal, get_args

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
LANG_NAMES: dict[Lang, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

TEXT: dict[str, tuple[str, str, str]] = {
    "title": ("Тексеру үстелі", "Стол проверки", "Review desk"),
    "skip": ("Негізгі мазмұнға өту", "Перейти к содержимому", "Skip to content"),
    "queue": ("Тексеруді күтетін өтініштер", "Заявления, ожидающие проверки", "Applications awaiting review"),
    "sign_in": ("Кіру", "Войти", "Sign in"),
    "sign_in_intro": (
        "Тексерушінің API кілтімен кіріңіз: браузер кілтті емес, қысқа мерзімді сессияны сақтайды.",
        "Войдите с API-ключом проверяющего: браузер хранит не ключ, а короткую сессию.",
        "Sign in with a reviewer's API key: the browser keeps a short-lived session, never the key.",
    ),
    "key": ("Тексерушінің API кілті", "API-ключ проверяющего", "Reviewer's API key"),
    "sign_out": ("Шығу", "Выйти", "Sign out"),
    "signed_out": ("Сіз шықтыңыз.", "Вы вышли.", "You have signed out."),
    "establishment": ("Шетелдегі мекеме", "Загранучреждение", "Foreign establishment"),
    "due": ("Мерзімі", "Срок", "Due"),
    "waiting": ("Күтуде", "Ожидает", "Waiting"),
    "matches": ("Сәйкестіктер", "Совпадения", "Matches"),
    "approvals": ("Мақұлдаулар", "Одобрения", "Approvals"),
    "breached": ("Мерзімі өтті", "Срок нарушен", "Deadline breached"),
    "on_time": ("Мерзімінде", "В срок", "On time"),
    "open": ("Ашу", "Открыть", "Open"),
    "empty": ("Кезек бос.", "Очередь пуста.", "The queue is empty."),
    "next_page": ("Келесі бет", "Следующая страница", "Next page"),
    "filter": ("Сүзу", "Отобрать", "Filter"),
    "any": ("Кез келген", "Любые", "Any"),
    "yes": ("Иә", "Да", "Yes"),
    "no": ("Жоқ", "Нет", "No"),
    "application": ("Өтініш", "Заявление", "Application"),
    "applicant": ("Өтініш беруші (берілген күйінде)", "Заявитель (как подано)", "Applicant as filed"),
    "candidate": ("Тіркелген адам", "Зарегистрированное лицо", "Registered person"),
    "field": ("Дерек", "Поле", "Field"),
    "comparison": ("Салыстыру", "Сравнение", "Comparison"),
    "surname": ("Тегі", "Фамилия", "Surname"),
    "given_names": ("Аты", "Имя", "Given names"),
    "patronymic": ("Әкесінің аты", "Отчество", "Patronymic"),
    "native_name": ("Төл жазудағы аты", "Имя в родной письменности", "Name in its own script"),
    "birth_date": ("Туған күні", "Дата рождения", "Date of birth"),
    "sex": ("Жынысы", "Пол", "Sex"),
    "citizenship": ("Азаматтығы", "Гражданство", "Citizenship"),
    "document": ("Құжат", "Документ", "Document"),
    "documents": ("Құжаттары", "Документы", "Documents"),
    "formed": ("ЖСН қалыптастырылған", "ИИН сформирован", "IIN formed"),
    "basis": ("Сәйкестік негізі", "Основание совпадения", "Match basis"),
    "agrees": ("сәйкес", "совпадает", "agrees"),
    "differs": ("сәйкес емес", "различается", "differs"),
    "unknown": ("белгісіз", "неизвестно", "unknown"),
    "male": ("ер", "мужской", "male"),
    "female": ("әйел", "женский", "female"),
    "not_in_register": ("Тізілімде жоқ", "Нет в реестре", "No longer in the register"),
    "decide": ("Шешім", "Решение", "Verdict"),
    "same_person": ("Бір адам: жаңа ЖСН берілмейді", "Одно лицо: новый ИИН не формируется", "Same person: no new IIN"),
    "different_person": (
        "Басқа адам: жаңа ЖСН қалыптастырылады",
        "Другое лицо: формируется новый ИИН",
        "Different person: a new IIN is formed",
    ),
    "officer": ("Қызметкердің идентификаторы", "Идентификатор сотрудника", "Officer id"),
    "note": ("Ескертпе (міндетті емес)", "Примечание (необязательно)", "Note (optional)"),
    "send": ("Шешімді жіберу", "Отправить решение", "Send the verdict"),
    "back": ("Кезекке оралу", "Вернуться к очереди", "Back to the queue"),
    "decided": ("Шешім қабылданды", "Решение принято", "Verdict given"),
    "state": ("Күйі", "Состояние", "State"),
    "pending": (
        "Шешім жазылды және екінші, басқа тексерушіні күтеді.",
        "Решение записано и ждёт второго, другого проверяющего.",
        "The verdict is recorded and waits for a second, different reviewer.",
    ),
    "four_eyes": (
        "Төрт көз: «басқа адам» шешіміне екі түрлі тексерушінің кілті қажет.",
        "Четыре глаза: решению «другое лицо» нужны ключи двух разных проверяющих.",
        "Four eyes: a 'different person' verdict needs two different reviewers' keys.",
    ),
    "refused": ("Орындалмады", "Не выполнено", "Not done"),
    "personal_data": (
        "Дербес деректер: әр қарау тіркеледі.",
        "Персональные данные: каждый просмотр записывается.",
        "Personal data: every view is recorded.",
    ),
    "document_number": ("құжат нөмірі", "номер документа", "document number"),
    "other_citizenship_or_sex": ("басқа азаматтық не жыныс", "другое гражданство или пол", "other citizenship or sex"),
    "partial_name": ("аттың бөлігі", "часть имени", "part of the name"),
    "near_birth_date": ("жақын туған күн", "близкая дата рождения", "a birth date one slip away"),
    "similar_name": ("ұқсас аты", "похожее имя", "a similar name"),
    "probable": ("ықтимал", "вероятное", "probable"),
    "days": ("күн", "дн.", "d"),
    "hours": ("сағ", "ч", "h"),
    "minutes": ("мин", "мин", "min"),
}


def text(key: str, lang: Lang) -> str:
    """The text `key` in `lang`; an unknown key is shown as itself (a code, such as a new match basis)."""
    entry = TEXT.get(key)
    return key if entry is None else entry[LANGS.index(lang)]


def lang_of(value: str | None) -> Lang:
    """The language a query or form names; Kazakh, the state language, by default."""
    for lang in LANGS:
        if value == lang:
            return lang
    return "kk"
