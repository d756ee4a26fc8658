"""moto_server with a clock the caller can move.

moto has no API to create a resource in the past, so the demo starts the server through this script and writes an
offset in days (e.g. -200) to the file named by REMEDIATORS_MOTO_CLOCK_FILE: from then on moto stamps what it
creates (and every key use it records) with that much added to the real time. A missing or empty file means no offset.
"""
import datetime
import os
import sys

import moto.core.utils

_clock_file = os.environ["REMEDIATORS_MOTO_CLOCK_FILE"]
_real_utcnow = moto.core.utils.utcnow


def _shifted_utcnow() -> datetime.datetime:
    try:
        with open(_clock_file, encoding="utf-8") as offset:
            days = float(offset.read().strip() or 0)
    except FileNotFoundError:
        days = 0
    return _real_utcnow() + datetime.timedelta(days=days)


# Replaced before moto.server loads any service, so every backend binds the shifted clock.
moto.core.utils.utcnow = _shifted_utcnow

from moto.server import main  # noqa: E402

sys.exit(main())
