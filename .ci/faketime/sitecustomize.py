"""Loaded only by the CI step that runs the suite with the clock moved ahead (libfaketime).

Under `faketime --exclude-monotonic`, time.sleep fails with EINVAL (it sleeps until an
absolute monotonic deadline, which libfaketime mangles); a timed wait on an Event works.
"""

import threading
import time

_real_sleep = time.sleep


def _sleep(seconds: float) -> None:
    if seconds > 0:
        threading.Event().wait(seconds)


time.sleep = _sleep
