"""Peak memory of a benchmark process (shared by the benchmark scripts)."""

from __future__ import annotations

import resource
import sys


def rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    Linux keeps ``ru_maxrss`` across ``exec``, so a child started by a big
    parent would report the parent's peak: read ``VmHWM`` instead where it exists.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
