"""Indicators made through the service layer, so tests exercise the same rules people do."""

import itertools

from dxmonitor.indicators import services
from dxmonitor.indicators.models import Indicator

_n = itertools.count(1)


def indicator(*, unit="%", formula="value", lead=(), params=None, name=None, **fields) -> Indicator:
    n = next(_n)
    made = Indicator.objects.create(code=f"T.{n}", name=name or f"Chỉ tiêu thử {n}", unit=unit, **fields)
    made.lead.set(lead)
    services.define_indicator(None, made, formula=formula, params=params)
    return made


def approved(actor, indicator, agency, period, **values):
    """A value entered, submitted and approved by one person who may do all three."""
    observation = services.record_observation(actor, indicator, agency, period, **values)
    observation = services.submit_observation(actor, observation)
    return services.approve_observation(actor, observation)
