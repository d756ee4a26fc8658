"""moto_server with two things AWS does that moto does not.

Atomic writes: moto answers requests on many threads and checks a DynamoDB condition or a WAF lock token, then writes,
without holding a lock in between, so two concurrent writers can both pass. DynamoDB and WAF never let that happen, and
the blocklist relies on it (write slots, NACL leases, IP set lock tokens), so this script serialises the requests of
those two services. Other services stay concurrent (an SQS long poll must not hold up the rest).

A clock the caller can move: moto has no API to create a resource in the past, so when REMEDIATORS_MOTO_CLOCK_FILE is
set, an offset in days written to that file (e.g. -200) is added to the real time for everything moto stamps from then
on (creation dates, recorded key use). A missing or empty file means no offset.
"""
import datetime
import functools
import os
import sys
import threading

import moto.core.utils

_clock_file = os.environ.get("REMEDIATORS_MOTO_CLOCK_FILE")
_real_utcnow = moto.core.utils.utcnow


def _shifted_utcnow() -> datetime.datetime:
    try:
        with open(_clock_file, encoding="utf-8") as offset:
            days = float(offset.read().strip() or 0)
    except FileNotFoundError:
        days = 0
    return _real_utcnow() + datetime.timedelta(days=days)


def _serialised(handler_class) -> None:
    lock = threading.Lock()
    call_action = handler_class.call_action

    @functools.wraps(call_action)
    def call_action_alone(self):
        with lock:
            return call_action(self)

    handler_class.call_action = call_action_alone


# Replaced before moto.server loads any service, so every backend binds the shifted clock.
if _clock_file:
    moto.core.utils.utcnow = _shifted_utcnow

from moto.dynamodb.responses import DynamoHandler  # noqa: E402
from moto.server import main  # noqa: E402
from moto.wafv2.responses import WAFV2Response  # noqa: E402

_serialised(DynamoHandler)
_serialised(WAFV2Response)
sys.exit(main())
