"""Entry problems (validation's codes and parameters) as messages in the reader's language."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from dxmonitor.core.i18n import number
from dxmonitor.indicators import formulas, validation


def _message(problem: validation.Problem, rules: validation.Rules) -> str:
    p = {
        k: number(v) if isinstance(v, float | int) and not isinstance(v, bool) else v
        for k, v in problem.params.items()
    }
    for key in ("date", "today"):
        if isinstance(problem.params.get(key), datetime.date):
            p[key] = formats.date_format(problem.params[key], "SHORT_DATE_FORMAT")
    percent = formulas.is_percent(rules.unit)
    code = problem.code
    if code == "required":
        return {
            "value": _("Enter a value."),
            "numerator": _("Enter the numerator: the count that meets the condition."),
            "denominator": _("Enter the denominator: the total count."),
        }.get(problem.field, _("This field is required."))
    if code == "required_done":
        return _("Say whether the agency has done it (yes or no), or give the date it was done.")
    if code == "date_without_done":
        return _("A date is given but the answer is “not done”: choose “done”, or remove the date.")
    if code == "not_a_number":
        return _("“%(text)s” is not a number; write it like 40,47 or 1.250.") % p
    if code == "above_max" and percent and problem.params["limit"] == 100:
        return _("A share cannot be above 100%%; enter the percentage (for example 40,47), not a count.") % {}
    if code == "above_max":
        return (
            _(
                "%(value)s is above the maximum of %(limit)s for this indicator; check the figure and its unit."
            )
            % p
        )
    if code == "below_min" and problem.params["limit"] == 0:
        return _("The value cannot be negative; enter 0 or more.")
    if code == "below_min":
        return _("%(value)s is below the minimum of %(limit)s for this indicator; check the figure.") % p
    if code == "negative":
        return _("A count cannot be negative; enter 0 or more.")
    if code == "numerator_above_denominator":
        return (
            _(
                "The numerator (%(numerator)s) is larger than the denominator (%(denominator)s): the part cannot "
                "exceed the whole; check both counts."
            )
            % p
        )
    if code == "denominator_not_positive":
        return _("The denominator must be more than 0; enter the total count.")
    if code == "future_date":
        return _("%(date)s is in the future; enter the day it was actually done (today at the latest).") % p
    if code == "jump_points":
        return (
            _(
                "The value moved from %(previous)s%% to %(value)s%% since the previous period, a change of "
                "%(change)s points (more than %(limit)s). If it is right, explain it in the comment; "
                "otherwise correct it."
            )
            % p
        )
    if code == "jump_relative":
        return (
            _(
                "The value changed by %(change)s%% since the previous period (%(previous)s → %(value)s, more "
                "than %(limit)s%%). If it is right, explain it in the comment; otherwise correct it."
            )
            % p
        )
    raise ValueError(f"No message for {code!r}")


def render_problems(problems, rules: validation.Rules) -> dict[str, list[str]]:
    """Problems as field → messages in the active language, for ValidationError and forms."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(_message(problem, rules))
    return errors
