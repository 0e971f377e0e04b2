import threading
import time

import pytest

from ui.answer_queue import AnswerQueue, BusyError


def test_positions_move_up_in_order_and_the_line_is_bounded() -> None:
    line = AnswerQueue(slots=1, max_waiting=2)
    first, second, third = line.join(), line.join(), line.join()
    with pytest.raises(BusyError, match="try again"):
        line.join()
    assert [line.wait(t, 0) for t in (first, second, third)] == [0, 1, 2]
    line.leave(first, started=time.monotonic() - 2.0)
    assert [line.wait(t, 0) for t in (second, third)] == [0, 1]
    assert line.eta(1) > 0
    line.leave(second)
    line.leave(third)
    assert len(line) == 0


def test_one_generation_at_a_time_on_one_slot() -> None:
    line = AnswerQueue(slots=1, max_waiting=10)
    running, most = [0], [0]
    lock = threading.Lock()

    def user() -> None:
        ticket = line.join()
        while line.wait(ticket, 0.05):
            pass
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        line.leave(ticket, time.monotonic())

    threads = [threading.Thread(target=user) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most[0] == 1 and len(line) == 0


def test_remote_backends_may_run_several() -> None:
    line = AnswerQueue(slots=3, max_waiting=0)
    tickets = [line.join() for _ in range(3)]
    assert [line.wait(t, 0) for t in tickets] == [0, 0, 0]
    with pytest.raises(BusyError):
        line.join()
