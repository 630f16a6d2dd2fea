"""Schemathesis hooks for legcramps (loaded with SCHEMATHESIS_HOOKS=hooks, PYTHONPATH=here).

The OpenAPI document states every rule of a new episode but one, which depends on the clock:
a start time, and a new medicine's start date, may not be in the future (nor before 1900, the
diary's earliest year; the date-time format cannot say that either). Generated values that are
real date-times or dates are moved into that window, keeping their form, so that the
positive-data check can insist that every schema-valid episode is accepted. Values that are not
date-times are left alone: the negative checks still send them.
"""

import datetime

import schemathesis

EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.timezone.utc)


def _into_the_past(text):
    try:
        t = datetime.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return text
    if t.tzinfo is None:
        return text
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    if EARLIEST <= t <= now:
        return text
    moved = now.astimezone(t.tzinfo) if t > now else EARLIEST.astimezone(t.tzinfo) + datetime.timedelta(days=2)
    return moved.isoformat()


def _day_into_the_past(text):
    try:
        d = datetime.date.fromisoformat(text)
    except (ValueError, TypeError):
        return text
    today = datetime.date.today() - datetime.timedelta(days=1)
    if datetime.date(1900, 1, 1) <= d <= today:
        return text
    return (today if d > today else datetime.date(1900, 1, 2)).isoformat()


@schemathesis.hook
def map_case(ctx, case):
    """Runs in every phase (coverage too), before the case is sent."""
    if isinstance(case.body, dict):
        case.body = _dates_into_the_past(case.body)
    return case


def _dates_into_the_past(body):
    # A night without cramps (POST /api/v1/nights) is a date, not in the future either.
    if isinstance(body.get("night"), str):
        body["night"] = _day_into_the_past(body["night"])
    if isinstance(body.get("start"), str):
        body["start"] = _into_the_past(body["start"])
    context = body.get("context")
    if isinstance(context, dict):
        med = context.get("new_medication")
        if isinstance(med, dict) and isinstance(med.get("started"), str):
            med["started"] = _day_into_the_past(med["started"])
    return body
