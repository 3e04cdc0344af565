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


def _finished(accuracy: float, confusion, lr: float, optimizer: str = "sgd"):
    import torch

    from playground.train.loop import History

    config = lesson.make_config(epochs=3, lr=lr, batch_size=64, optimizer=optimizer, seed=0, device="cpu")
    evaluation = lesson.Evaluation(accuracy, confusion, *(torch.zeros(0) for _ in range(5)))
    snapshot = lesson.Snapshot("lenet", config, History(), done=True)
    return lesson.Trained(snapshot, evaluation, {})


def test_a_run_that_learnt_nothing_is_not_called_trained():
    """SGD at learning rate 0.5 collapses to one answer: ~10 %, which the tab once reported with a ✅."""
    import torch

    one_answer = torch.zeros(10, 10, dtype=torch.int64)
    one_answer[:, 1] = 100  # every picture is called "1"
    status = final_status_markdown(_finished(0.1, one_answer, lr=0.5))
    assert "✅" not in status and "learnt nothing" in status and "answers 1 for 100%" in status
    assert "too large for sgd" in status
    assert "moves the weights too little" in final_status_markdown(_finished(0.12, one_answer, lr=1e-5))
    learnt = torch.eye(10, dtype=torch.int64) * 90 + 1
    assert not _finished(0.9, learnt, lr=0.01).evaluation.learnt_nothing
