"""Pausing Python's cycle collector while a plan builds hundreds of thousands of objects.

Planning makes no reference cycles, so the collector would only walk the growing lists again
and again (at 600,000 households it costs more than the work itself). It is switched back on
afterwards, and left off if it was off.
"""

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
