"""The training tab's run in the background: its time budget (in process; the HTTP tests start and stop runs)."""

from __future__ import annotations

from playground.lessons import training as lesson
from playground.viz.training import final_status_markdown


def test_a_run_stops_by_itself_when_its_time_budget_is_spent_and_keeps_what_it_learnt(monkeypatch):
    monkeypatch.setattr(lesson, "MAX_TRAIN_SECONDS", 1.0)
    config = lesson.make_config(epochs=30, lr=0.002, batch_size=64, optimizer="adam", seed=0, device="cpu")
    run = lesson.TrainingRun.start("lenet", config)
    *_, last = run.snapshots(every=0.1)
    run.join(timeout=30)
    assert last.done and last.time_up and last.history.stopped and last.error is None
    assert len(last.history.epochs) < 30
    status = final_status_markdown(run.result(last))
    assert "Stopped after 5 minutes, the time one run may take" in status  # the limit's own value, in minutes


def test_a_run_that_ends_in_time_is_not_called_stopped():
    config = lesson.make_config(epochs=1, lr=0.002, batch_size=256, optimizer="adam", seed=0, device="cpu")
    run = lesson.TrainingRun.start("lenet", config)
    *_, last = run.snapshots(every=0.1)
    run.join(timeout=60)
    assert last.done and not last.time_up and not last.history.stopped
    assert "Stopped" not in final_status_markdown(run.result(last))
