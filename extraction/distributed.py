"""Ray: the same per-document work, spread over a cluster when one machine is not enough.

Only the mapping changes: documents go out as Ray tasks with a bounded number
in flight, records come back as they finish, and ``run_batch`` writes them
exactly as in a local run (same files, same resume). Without ``RAY_ADDRESS``
a local Ray is started on this machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def ray_mapper(narrative: str, max_in_flight: int | None = None) -> Callable[[Callable[[Path], dict[str, Any]], list[Path]], Iterator[dict[str, Any]]]:
    try:
        import ray
    except ImportError:
        raise SystemExit("--ray needs Ray: pip install 'gongkai[ray]'") from None

    def mapper(work: Callable[[Path], dict[str, Any]], paths: list[Path]) -> Iterator[dict[str, Any]]:
        started_here = False
        if not ray.is_initialized():
            address = os.environ.get("RAY_ADDRESS")
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True, **({} if address else {"num_cpus": os.cpu_count()}))
            started_here = True
        try:
            remote = ray.remote(num_cpus=1)(_extract_remote)
            limit = max_in_flight or max(2, int(ray.cluster_resources().get("CPU", 1)) * 2)
            pending: list[Any] = []
            queue = iter(paths)
            for p in queue:
                pending.append(remote.remote(str(p), narrative))
                if len(pending) >= limit:
                    break
            while pending:
                done, pending = ray.wait(pending, num_returns=1)
                yield ray.get(done[0])
                nxt = next(queue, None)
                if nxt is not None:
                    pending.append(remote.remote(str(nxt), narrative))
        finally:
            if started_here:
                ray.shutdown()

    return mapper


def _extract_remote(path: str, narrative: str) -> dict[str, Any]:
    import gc

    from gongkai.extraction.batch import BATCH_GC_THRESHOLD, process_one

    gc.set_threshold(*BATCH_GC_THRESHOLD)  # a Ray worker is the batch's own process
    return process_one(Path(path), narrative)
