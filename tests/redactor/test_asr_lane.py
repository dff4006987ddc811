"""The ASR lane: one recognition at a time per process, each thread's share counted."""

from __future__ import annotations

import threading

from redactor.transcribe import AsrLane


def test_only_one_thread_holds_the_lane_and_each_thread_counts_its_own_seconds():
    lane = AsrLane()
    inside = 0
    most = 0
    counter = threading.Lock()
    seconds: dict[int, float] = {}
    start = threading.Barrier(4, timeout=10)

    def job(n: int) -> None:
        nonlocal inside, most
        start.wait()
        for _ in range(20):
            with lane:
                with counter:
                    inside += 1
                    most = max(most, inside)
                sum(range(2000))  # some work while holding it
                with counter:
                    inside -= 1
        seconds[n] = lane.take_seconds()

    threads = [threading.Thread(target=job, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most == 1
    assert len(seconds) == 4 and all(s > 0 for s in seconds.values())
    assert lane.take_seconds() == 0.0  # this thread never held it
