"""Long-lived processes and Python's cyclic garbage collector.

What a process loads at start-up (Django, its apps, templates, WeasyPrint's fonts) lives
as long as the process. Left where it is, every full collection walks it again, and a
forked process writes to the pages it shares with its parent while doing so. Python's
documentation (gc.freeze) recommends moving it out of the collector's sight once loading
is done; web workers (ereport.wsgi) and Celery's processes (reports.tasks) both do.
"""

from __future__ import annotations

import gc


def freeze_loaded_objects() -> None:
    """Collect what start-up left as garbage, then freeze everything still alive.

    Collect first: anything frozen is never collected, so garbage frozen now would stay
    for the life of the process."""
    gc.collect()
    gc.freeze()
