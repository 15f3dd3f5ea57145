"""Every text the emulator answers with, in the platform's two languages.

The platform picks the language from the `lang` query parameter (`ru` or `en`) and only
the `message` texts change (API.md, Conventions). `ru` is the platform's default: the
vendor's own example is `?lang=ru` and the vendor never documents an English default.
Field names and rule values stay untranslated inside messages so that a caller can grep
for them in either language.
"""
from __future__ import annotations

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"

# key -> (ru, en); `{...}` placeholders are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    # Success answers.
    "ok": ("Успешно", "Success"),
    "queued": ("Задание поставлено в очередь", "Task queued"),
    # Transport and access.
    "bad_body": ("тело запроса должно быть JSON-объектом", "request body must be a JSON object"),
    "unknown_method": ("неизвестный метод {method}", "unknown method {method}"),
    "http_method": ("HTTP-метод {verb} не поддерживается для {path}", "HTTP method {verb} is not allowed for {path}"),
    "token": ("отсутствует или неверен токен доступа", "missing or invalid access token"),
    "admin_only": (
        "метод {method} доступен только роли admin",
        "method {method} is available to the admin role only",
    ),
    "edit_other": (
        "только администратор может изменять других пользователей",
        "only an administrator may edit other users",
    ),
    "fault": ("эмулированная ошибка (HTTP {status})", "emulated fault (HTTP {status})"),
    "internal": ("внутренняя ошибка эмулятора: {error}", "emulator internal error: {error}"),
    # Unknown ids (404).
    "unknown_sims": ("{field}: неизвестные id сим-карт: {ids}", "{field}: unknown SIM ids: {ids}"),
    "unknown_groups": ("{field}: неизвестные id групп: {ids}", "{field}: unknown group ids: {ids}"),
    "unknown_user": ("{field}: неизвестный id пользователя: {id}", "{field}: unknown user id: {id}"),
    "unknown_bill": ("неизвестный id счёта: {id}", "unknown bill id: {id}"),
    # Validation rules (422); rendered as "<field>: <rule>".
    "required": ("обязательное поле", "is required"),
    "int": ("должно быть целым числом", "must be an integer"),
    "str": ("должно быть строкой", "must be a string"),
    "bool": ("должно быть логическим значением (true/false)", "must be a boolean (true/false)"),
    "list": ("должно быть массивом", "must be an array"),
    "object": ("должно быть объектом", "must be an object"),
    "number": ("должно быть числом", "must be a number"),
    "not_empty": ("не должно быть пустым", "must not be empty"),
    "max_len": ("не более {n} символов", "at most {n} characters"),
    "max_items": ("не более {n} сим-карт за один вызов, передано {count}", "at most {n} SIMs per call, got {count}"),
    "min": ("должно быть не меньше {n}", "must be at least {n}"),
    "one_of": ("допустимые значения: {values}", "must be one of {values}"),
    "package": (
        "размер пакета от 15360 до 102400 КБ с шагом 5120 КБ",
        "package must be 15360..102400 KB in steps of 5120 KB",
    ),
    "date": ("дата должна быть в формате ДД-ММ-ГГГГ", "date must be in DD-MM-YYYY format"),
    "date_order": ("не может быть раньше filter.start", "must not be before filter.start"),
    "select_entry": (
        "неизвестный элемент {entry!r}: допустимы all, s_<id сим-карты>, g_<id группы>",
        "unknown entry {entry!r}: expected all, s_<SIM id> or g_<group id>",
    ),
    "email": ("некорректный email-адрес", "must be a valid e-mail address"),
    "url": ("должен быть URL http(s)", "must be an http(s) URL"),
    "sort_field": (
        "поле сортировки {name!r} неизвестно; допустимы: {allowed}",
        "unknown sort field {name!r}; allowed: {allowed}",
    ),
    "sort_dir": ("направление сортировки должно быть ASC или DESC", "sort direction must be ASC or DESC"),
    "profile_only": (
        "метод {method} работает только для сим-карт профиля {profile}; другой профиль у: {sims}",
        "{method} works for {profile} SIMs only; not {profile}: {sims}",
    ),
    "change_lock": (
        "смена тарифа заблокирована (id, ICCID, дата снятия блокировки): {sims}",
        "tariff change is locked (id, ICCID, date the lock is lifted): {sims}",
    ),
    "self_field": (
        "нельзя изменить для текущего пользователя (пароль меняется методом user/password)",
        "cannot be changed for the current user (use user/password for the password)",
    ),
    "remove_self": ("нельзя удалить самого себя", "cannot remove the current user"),
    "old_password": ("не совпадает с текущим паролем", "does not match the current password"),
    "duplicate_email": (
        "пользователь с email {email} уже существует",
        "a user with e-mail {email} already exists",
    ),
    "duplicate_group": ("группа {name!r} уже существует", "a group named {name!r} already exists"),
    "duplicate_iccid": ("сим-карта с ICCID {iccid} уже существует", "a SIM with ICCID {iccid} already exists"),
    "unknown_iccid": ("сим-карта с ICCID {iccid} не найдена", "no SIM with ICCID {iccid}"),
}


def pick_language(value: str | None) -> str:
    """The answer language for a `lang` query value; anything unknown gets the default."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, lang: str, **params: object) -> str:
    ru, en = MESSAGES[key]
    template = en if lang == "en" else ru
    return template.format(**params)
