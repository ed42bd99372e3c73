"""The domain helpers exports need, from ``desk_league.domain`` when it is there."""

from __future__ import annotations

try:
    from desk_league.domain.dates import chinese_date
except ModuleNotFoundError as exc:  # domain/dates.py not written yet
    if exc.name not in ("desk_league.domain", "desk_league.domain.dates"):
        raise
    from desk_league.exports._domain_fallbacks import chinese_date

try:
    from desk_league.domain.id_number import mask_id_number
except ModuleNotFoundError as exc:  # domain/id_number.py not written yet
    if exc.name not in ("desk_league.domain", "desk_league.domain.id_number"):
        raise
    from desk_league.exports._domain_fallbacks import mask_id_number

__all__ = ["chinese_date", "mask_id_number"]
