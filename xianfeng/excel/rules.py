"""Rules a member record must satisfy, in one place for the bulk import and single-record forms.

`member_rule_errors(data)` takes a dict of already-typed fields (id_number, gender,
birth_date, joined_on, confirmed_on) and returns {field: 中文原因}. It fills
birth_date and gender from the ID number when they are empty, so callers get a
complete record. xianfeng.members.services.create_member should call it too.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from xianfeng.members import idcard

ADMISSION_AGE = 18


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year + years, day=28)


def member_rule_errors(data, today=None):
    today = today or timezone.localdate()
    errors = {}
    number = data.get("id_number")
    if number:
        try:
            born, sex = idcard.parse(number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        else:
            errors.update(
                idcard.check_consistent(number, data.get("birth_date"), data.get("gender"))
            )
            data["birth_date"] = data.get("birth_date") or born
            data["gender"] = data.get("gender") or sex
    errors.update(_date_errors(data, today, errors))
    return errors


def _date_errors(data, today, known):
    errors = {}
    birth, joined, confirmed = (
        data.get("birth_date"),
        data.get("joined_on"),
        data.get("confirmed_on"),
    )
    if birth and birth > today:
        if "birth_date" not in known:
            errors["birth_date"] = "出生日期不能晚于今天"
        birth = None
    if joined and joined > today:
        errors["joined_on"] = "入党日期不能晚于今天"
    elif joined and birth and joined < add_years(birth, ADMISSION_AGE):
        errors["joined_on"] = f"入党时未满{ADMISSION_AGE}周岁(出生日期 {birth:%Y-%m-%d})"
    if confirmed and confirmed > today:
        errors["confirmed_on"] = "转正日期不能晚于今天"
    elif confirmed and joined and confirmed < joined:
        errors["confirmed_on"] = "转正日期不能早于入党日期"
    return errors
