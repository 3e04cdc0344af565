"""The UI helpers every tab relies on: readable errors in the learner's language, translated labels."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import numpy as np
import pytest

from playground.errors import InputError
from playground.ui.common import Translator, ui_errors

ZH = {"lang": "zh", "device": "cpu"}
EN = {"lang": "en", "device": "cpu"}


@ui_errors
def _bad_range(value, session):
    raise InputError("act.err.range_order", low=value, high=1)


@ui_errors
def _crash(value, session):
    raise RuntimeError("secret internal detail /etc/passwd")


@ui_errors
def _stream(count, session):
    yield 1
    raise InputError("common.err.empty_numbers")


def test_input_error_speaks_the_session_language():
    with pytest.raises(gr.Error) as info:
        _bad_range(3, ZH)
    assert "区间必须" in info.value.message and info.value.title == "无法计算"
    with pytest.raises(gr.Error) as info:
        _bad_range(3, EN)
    assert info.value.message.startswith("The range must go")


def test_unexpected_errors_hide_their_details(caplog):
    with pytest.raises(gr.Error) as info:
        _crash(1, EN)
    assert "secret" not in info.value.message and "went wrong" in info.value.message
    assert "secret internal detail" in caplog.text  # ...but the server log has them


def test_generators_are_wrapped_too():
    stream = _stream(2, ZH)
    assert next(stream) == 1
    with pytest.raises(gr.Error) as info:
        next(stream)
    assert "至少输入一个数" in info.value.message


def test_translator_relabels_labels_info_choices_and_buttons():
    tr = Translator()
    with gr.Blocks():
        slider = tr(gr.Slider(0, 1, 0.1), "act.negative_slope")
        radio = tr(gr.Radio([0, 1], value=0), "act.target", choices={0: "act.class1", 1: "act.class2"})
        button = tr(gr.Button(), "common.run")
    assert slider.label == "LeakyReLU slope" and slider.info.startswith("f(x) = slope")
    assert button.value == "Run"
    slider_zh, radio_zh, button_zh = tr.updates("zh")
    assert slider_zh["label"] == "LeakyReLU 负半轴斜率" and "斜率" in slider_zh["info"]
    assert radio_zh["choices"] == [("类别 1", 0), ("类别 2", 1)]
    assert button_zh["value"] == "运行"
    assert tr.components == [slider, radio, button]


def test_a_repeated_view_call_from_the_same_session_gets_the_same_answer_without_computing(monkeypatch):
    from playground.ui.common import repeats

    calls = []

    def view(x, trained, session, progress=None):
        calls.append(x)
        if x == "bad":
            raise InputError("common.err.empty_numbers")
        return x, {"__type__": "update", "choices": [x]}

    recent = repeats.RecentResults()
    reusing = repeats.reuse_repeats(ui_errors(view), recent, None)
    session, weights = dict(EN), {"lenet": {"state_dict": object()}}
    first = reusing("a", weights, session, gr.Progress())
    again = reusing("a", weights, session, gr.Progress())  # the same upload, reported twice
    assert first == again == ("a", {"__type__": "update", "choices": ["a"]}) and calls == ["a"]
    again[1]["choices"] = "changed by Gradio"
    assert reusing("a", weights, session)[1]["choices"] == ["a"]  # handed out fresh each time
    assert reusing("b", weights, session)[0] == "b"  # other inputs
    assert reusing("b", {"lenet": {"state_dict": object()}}, session)[0] == "b"  # newly trained weights
    assert reusing("b", weights, dict(EN))[0] == "b"  # another learner
    assert calls == ["a", "b", "b", "b"]
    reusing("b", weights, session)
    session["_private"] = 1  # what a tab keeps in the session is not an input
    reusing("b", weights, session)
    assert calls == ["a", "b", "b", "b", "b"]
    with pytest.raises(gr.Error) as shown:
        reusing("bad", weights, session)
    kept = list(recent._failed.values())
    assert len(kept) == 1 and isinstance(kept[0][2], str)  # the message, not the exception and its frames
    with pytest.raises(gr.Error) as twin:  # at once again (an upload's twin): the same failure, no second toast
        reusing("bad", weights, session)
    assert shown.value.visible and not twin.value.visible and twin.value.message == shown.value.message
    recent.twin = 0.0
    with pytest.raises(gr.Error):  # the learner trying again: a failure is not kept, its message comes again
        reusing("bad", weights, session)
    assert calls.count("bad") == 2
    later = repeats.time.monotonic() + recent.window
    monkeypatch.setattr(repeats.time, "monotonic", lambda: later)
    reusing("b", weights, session)
    assert calls[-1] == "b" and len(calls) == 8  # long after: computed again
    assert len(recent) == 1  # only calls within the window are kept


def test_a_view_call_that_arrives_while_the_same_call_runs_waits_for_its_answer():
    """Gradio may report one upload as two changes that run side by side: the view is computed once."""
    import threading

    from playground.ui.common import repeats

    calls, started, release = [], threading.Event(), threading.Event()

    def view(x, session):
        calls.append(x)
        started.set()
        release.wait(10)
        if x == "bad":
            raise InputError("common.err.empty_numbers")
        return x

    reusing = repeats.reuse_repeats(ui_errors(view), repeats.RecentResults(), None)
    unseen = []
    for value in ("a", "bad"):
        session, answers = dict(EN), []

        def call(value=value, session=session, answers=answers):
            try:
                answers.append(reusing(value, session))
            except gr.Error as error:
                answers.append(str(error))
                if not error.visible:
                    unseen.append(error)

        first = threading.Thread(target=call)
        first.start()
        assert started.wait(10)
        second = threading.Thread(target=call)
        second.start()  # the same call, while the first still runs
        second.join(0.2)
        assert second.is_alive()  # ...waits
        release.set()
        first.join(10), second.join(10)
        started.clear(), release.clear()
        if value == "a":
            assert answers == ["a", "a"] and calls == ["a"]  # one computation, two answers
        else:
            # one computation; the waiting twin fails the same way, without a toast of its own
            assert calls == ["a", "bad"] and len(answers) == 2 and len(set(answers)) == 1 and len(unseen) == 1


def _shared_cache(**options):
    from playground.ui.common import repeats

    return repeats.RecentResults(600, max_bytes=options.pop("max_bytes", 10**7), shared=True, **options)


def test_public_inputs_are_plain_values_and_the_apps_own_pictures_by_their_bytes(tmp_path):
    from gradio.utils import get_upload_folder

    from playground.ui.common.files import EXAMPLES
    from playground.ui.common.repeats import public_fingerprint

    example = next(EXAMPLES.glob("digit-*.png"))
    cache = Path(get_upload_folder()) / "public-test"
    cache.mkdir(parents=True, exist_ok=True)
    copy = cache / "copy.png"  # what Gradio hands a view: its copy of the example, in its cache
    copy.write_bytes(example.read_bytes())
    upload = cache / "upload.png"  # a learner's picture
    upload.write_bytes(example.read_bytes()[:-1] + b"x")
    session = {"lang": "zh", "device": "cpu", "_runs": object()}
    assert public_fingerprint(["lenet", 0.5, [1, 2], {}, session]) == \
        ("lenet", 0.5, (1, 2), (), (("device", "cpu"), ("lang", "zh")))  # the session's "_" keys left out
    assert public_fingerprint([str(copy), session])[0] == ("file", hashlib.sha256(example.read_bytes()).hexdigest())
    assert public_fingerprint([str(upload), session]) is None
    assert public_fingerprint(["lenet", {"lenet": {"state_dict": object()}}, session]) is None  # trained weights
    assert public_fingerprint([np.zeros(3), session]) is None  # any object compared by identity
    outside = tmp_path / "typed.txt"  # a path typed into a text box is text, never read
    outside.write_bytes(example.read_bytes())
    assert public_fingerprint([str(outside)]) == (str(outside),)


def test_a_view_with_public_inputs_is_computed_once_for_the_whole_class(monkeypatch):
    from playground.ui.common import repeats

    calls = []

    def view(x, trained, session):
        calls.append((x, session["lang"]))
        if x == "bad":
            raise InputError("common.err.empty_numbers")
        return {"__type__": "update", "value": x * 1000}

    shared = _shared_cache()
    reusing = repeats.reuse_repeats(ui_errors(view), repeats.RecentResults(), shared)
    learners = [dict(EN) for _ in range(3)]
    answers = [reusing("a", {}, learner) for learner in learners]
    assert calls == [("a", "en")] and all(a == {"__type__": "update", "value": "a" * 1000} for a in answers)
    answers[0]["value"] = "changed by Gradio"
    assert reusing("a", {}, dict(EN))["value"] == "a" * 1000  # each learner gets its own copy of the update
    reusing("a", {}, {"lang": "zh", "device": "cpu"})  # another language: another answer
    mine = {"lenet": {"state_dict": object()}}
    reusing("a", mine, learners[0]), reusing("a", mine, learners[1])  # private inputs: each computes its own
    assert calls == [("a", "en"), ("a", "zh"), ("a", "en"), ("a", "en")]
    for learner in learners[:2]:  # a failure is not shared: each learner sees its own message, with its toast
        with pytest.raises(gr.Error) as failed:
            reusing("bad", {}, learner)
        assert failed.value.visible
    assert calls.count(("bad", "en")) == 2
    assert len(shared) == 2 and 0 < shared.kept_bytes < 10_000
    later = repeats.time.monotonic() + shared.window
    monkeypatch.setattr(repeats.time, "monotonic", lambda: later)
    reusing("a", {}, dict(EN))
    assert calls[-1] == ("a", "en") and len(shared) == 1  # computed again after SHARED_VIEW_SECONDS


def test_the_shared_answers_stay_within_their_byte_budget_least_recently_used_first():
    from playground.ui.common import repeats

    def view(x, session):
        return "x" * 4_000 + x

    shared = _shared_cache(max_bytes=10_000)
    reusing = repeats.reuse_repeats(view, repeats.RecentResults(window=0), shared)
    reusing("a", dict(EN)), reusing("b", dict(EN))
    reusing("a", dict(EN))  # used again: "b" is now the least recently used
    reusing("c", dict(EN))
    assert shared.kept_bytes <= 10_000 and len(shared) == 2
    kept = {inputs[0] for (_, inputs) in shared._results}
    assert kept == {"a", "c"}
    huge = repeats.reuse_repeats(lambda x, session: "y" * 20_000, repeats.RecentResults(window=0), shared)
    huge("d", dict(EN))
    assert {inputs[0] for (_, inputs) in shared._results} == {"a", "c"}  # larger than the budget: not kept


def test_a_shared_answer_whose_gallery_files_were_swept_is_computed_again(tmp_path):
    from playground.ui.common import repeats

    calls = []
    picture = tmp_path / "layer.jpeg"

    def view(x, session):
        calls.append(x)
        picture.write_bytes(b"jpeg")
        return [(str(picture), "conv1")]

    reusing = repeats.reuse_repeats(view, repeats.RecentResults(window=0), _shared_cache())
    reusing("a", dict(EN)), reusing("a", dict(EN))
    assert calls == ["a"]
    picture.unlink()  # the cache keeper, over its byte budget
    assert reusing("a", dict(EN)) == [(str(picture), "conv1")] and calls == ["a", "a"] and picture.exists()


def test_learners_asking_the_same_at_once_wait_for_one_computation_and_never_for_its_failure():
    import threading

    from playground.ui.common import repeats

    calls, started, release = [], threading.Event(), threading.Event()

    def view(x, session):
        calls.append(x)
        started.set()
        release.wait(10)
        if x == "bad" and len(calls) == 2:
            raise InputError("common.err.empty_numbers")
        return x

    reusing = repeats.reuse_repeats(ui_errors(view), repeats.RecentResults(), _shared_cache())
    for value, expected in (("a", ["a", "a"]), ("bad", ["common", "bad"])):
        answers = []

        def call(value=value, answers=answers):
            try:
                answers.append(reusing(value, dict(EN)))
            except gr.Error as error:
                assert error.visible  # another learner's failure is never passed on silently
                answers.append("common")

        first = threading.Thread(target=call)
        first.start()
        assert started.wait(10)
        second = threading.Thread(target=call)
        second.start()  # another learner, the same call, while the first runs
        second.join(0.2)
        assert second.is_alive()  # ...waits
        release.set()
        first.join(10), second.join(10)
        started.clear(), release.clear()
        assert sorted(answers) == sorted(expected)
    assert calls == ["a", "bad", "bad"]  # the waiting learner computed its own after the first failed


class _Run:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def test_each_learner_has_one_run_that_stop_and_a_new_start_reach():
    from playground.ui.common import SessionRuns

    runs, alice, bob = SessionRuns(), SimpleNamespace(session_hash="alice"), SimpleNamespace(session_hash="bob")
    first, other = runs.start(alice, _Run), runs.start(bob, _Run)
    assert runs.current(alice) is first and len(runs) == 2
    second = runs.start(alice, _Run)  # a second Start stops the first
    assert first.stopped and not second.stopped and runs.current(alice) is second
    runs.finished(alice, first)  # a replaced run ending late does not forget the new one
    assert runs.current(alice) is second
    runs.stop(alice)
    assert second.stopped and not other.stopped
    runs.finished(alice, second)
    assert runs.current(alice) is None and len(runs) == 1


def test_a_closed_pages_session_is_forgotten_after_the_grace_unless_it_asks_again(monkeypatch):
    import datetime

    from gradio.state_holder import StateHolder

    from playground import limits
    from playground.ui.common.sessions import ClosedSessions

    with gr.Blocks() as demo:
        kept = gr.State([])
    holder = StateHolder()
    holder.set_blocks(demo)  # what launch() does: Gradio's own per-session store, as the app has it
    for name in ("open", "closed", "reconnected", "just-closed"):
        holder[name][kept._id] = [name]
    closed = ClosedSessions(demo)
    assert closed.sweep() == []  # nothing closed yet
    start = datetime.datetime.now()
    for name in ("closed", "reconnected"):
        holder.session_data[name].is_closed = True  # what Gradio does when a page's heartbeat ends
    assert closed.sweep(start) == []  # seen closed: the grace starts
    holder["reconnected"]  # ...and this page asked for something again
    holder.session_data["just-closed"].is_closed = True
    later = start + datetime.timedelta(seconds=limits.CLOSED_SESSION_SECONDS)
    holder.time_last_used["reconnected"] = start + datetime.timedelta(seconds=1)
    assert closed.sweep(later) == ["closed"]
    assert set(holder.session_data) == {"open", "reconnected", "just-closed"}
    assert "closed" not in holder.time_last_used
    much_later = later + datetime.timedelta(seconds=limits.CLOSED_SESSION_SECONDS)
    assert sorted(closed.sweep(much_later)) == ["just-closed", "reconnected"]  # unused since the last sweep
    assert set(holder.session_data) == {"open"} and holder["open"][kept._id] == ["open"]


def test_files_for_the_browser_are_written_inside_gradios_cache_once():
    from gradio.utils import get_upload_folder

    from playground.ui.common.files import cache_file

    first = cache_file(b"x,y,label\n1,2,a\n", "moons-seed0.csv")
    again = cache_file(b"x,y,label\n1,2,a\n", "moons-seed0.csv")
    other = cache_file(b"x,y,label\n3,4,b\n", "moons-seed0.csv")
    cache = Path(get_upload_folder()).resolve()
    assert first == again != other  # the same bytes are one file
    assert Path(first).name == "moons-seed0.csv" and Path(first).read_bytes() == b"x,y,label\n1,2,a\n"
    # inside Gradio's cache, a file is registered as it is (not copied) and delete_cache removes it
    assert all(cache in Path(p).resolve().parents for p in (first, other))


def test_the_ui_writes_no_files_of_its_own_outside_gradios_cache():
    """Temporary folders made by the app itself are never emptied (Gradio cleans only its cache)."""
    ui = Path(__file__).resolve().parents[2] / "playground" / "ui"
    for path in ui.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {node.func.attr for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
        assert not called & {"mkdtemp", "mkstemp", "NamedTemporaryFile", "write_text", "write_bytes"} or \
            path.name == "files.py", path


def _file(folder: Path, name: str, size: int) -> Path:
    import time

    path = folder / name / "f.bin"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * size)
    time.sleep(0.02)  # the next file is younger (ages count from the file's ctime, which cannot be set)
    return path


def test_the_file_folder_keeps_within_its_age_and_byte_budget_oldest_first(tmp_path):
    import time

    from playground.ui.common.files import CacheKeeper

    keeper = CacheKeeper(tmp_path, max_bytes=250, max_age=3_600)
    stale = _file(tmp_path, "stale", 10)
    later = time.time() + 3_600  # an hour on: the stale file is older than the age and goes whatever the budget
    old, middle, new, example = (_file(tmp_path, name, 100) for name in ("a", "b", "c", "example"))
    keeper.protected = lambda: {str(example)}  # Gradio's keep_in_cache
    keeper.max_age = later - stale.stat().st_ctime - 0.01  # only the first file is too old at ``later``
    assert keeper.sweep(later) == 110  # 300 bytes left > 250: the oldest of the three goes, not the example
    assert not stale.exists() and not old.exists() and middle.exists() and new.exists() and example.exists()
    assert not stale.parent.exists()  # with its hash folder
    assert keeper.sweep(later) == 0


def test_a_burst_of_written_files_sweeps_at_once(tmp_path):

    from playground.ui.common.files import CacheKeeper

    keeper = CacheKeeper(tmp_path, max_bytes=1_000)
    first = _file(tmp_path, "first", 990)
    keeper.written(50)  # a tenth of the budget not yet reached
    second = _file(tmp_path, "second", 60)
    assert first.exists()
    keeper.written(60)  # 110 bytes since the last sweep: sweep now (1,050 bytes > 1,000)
    assert not first.exists() and second.exists()


def test_one_learners_files_are_bounded_and_leave_with_their_page_unless_another_holds_them(tmp_path):
    from playground.ui.common.files import CacheKeeper

    keeper = CacheKeeper(tmp_path, max_bytes=10_000, max_session_bytes=250)
    shared, first, second, third = (_file(tmp_path, name, 100) for name in ("shared", "1", "2", "3"))
    keeper.hand_out("ann", shared, 100)
    keeper.hand_out("bob", shared, 100)  # the same bytes handed to two learners: one file
    keeper.hand_out("ann", first, 100)
    keeper.hand_out("ann", second, 100)  # 300 bytes > 250: ann lets go of her oldest, which bob still holds
    assert shared.exists() and keeper.held_bytes("ann") == 200 and keeper.held_bytes("bob") == 100
    keeper.hand_out("ann", third, 100)  # her oldest now is hers alone: deleted, with its folder
    assert not first.exists() and not first.parent.exists() and second.exists() and third.exists()
    keeper.hand_out("bob", third, 100)
    assert keeper.release("ann") == 100  # her page closed: what only she held goes, bob's stay
    assert not second.exists() and shared.exists() and third.exists()
    assert keeper.release("bob") == 200 and not shared.exists() and not third.exists()
    assert keeper.release("bob") == 0  # released twice: nothing left to do


def test_the_records_of_files_swept_away_are_dropped(tmp_path):
    from playground.ui.common.files import CacheKeeper

    keeper = CacheKeeper(tmp_path, max_bytes=150)
    old, new = _file(tmp_path, "old", 100), _file(tmp_path, "new", 100)
    keeper.hand_out("ann", old, 100)
    keeper.hand_out("ann", new, 100)
    keeper.sweep()  # over the total budget: the oldest goes, whoever held it
    assert not old.exists() and keeper.held_bytes("ann") == 100
    new.unlink()  # deleted by Gradio's own clean-up
    keeper.sweep()
    assert keeper.held_bytes("ann") == 0 and not keeper._held and not keeper._holders


def test_a_file_written_while_answering_a_learner_is_theirs_and_leaves_with_their_page():
    from types import SimpleNamespace

    from gradio.context import LocalContext

    from playground.ui.common.files import _cache_keeper, cache_file, hold_files, release_session_files

    token = LocalContext.request.set(SimpleNamespace(session_hash="page-1"))
    try:
        path = Path(cache_file(b"only page 1's", "mine.csv"))
        shared = cache_file(b"a view the class shares", "view.jpeg")
    finally:
        LocalContext.request.reset(token)
    token = LocalContext.request.set(SimpleNamespace(session_hash="page-2"))
    try:
        hold_files(([(shared, "caption")], {"value": "not a file"}))  # page 2 got page 1's answer, shared
    finally:
        LocalContext.request.reset(token)
    assert _cache_keeper().held_bytes("page-1") == len(b"only page 1's") + len(b"a view the class shares")
    assert release_session_files("page-1") == len(b"only page 1's")
    assert not path.exists() and Path(shared).exists()
    assert release_session_files("page-2") > 0 and not Path(shared).exists()


def test_a_lean_session_keeps_states_and_updates_but_no_copies_for_deep_links():
    import asyncio

    from gradio.state_holder import SessionState

    from playground.ui.common.sessions import LeanStateHolder, check_no_deep_links

    def relabel(text: str, count: int):
        return gr.Textbox(label=f"said {text}"), count + 1, f"heard {text}"

    with gr.Blocks() as demo:
        said = gr.Textbox(label="say")
        count = gr.State(0)
        heard = gr.Textbox()
        said.submit(relabel, [said, count], [said, count, heard])
    holder = LeanStateHolder()
    holder.set_blocks(demo)
    state = holder["page"]
    fn = next(iter(demo.fns.values()))
    for word in ("a", "b"):
        out = asyncio.run(demo.process_api(block_fn=fn, inputs=[word, None], state=state))
    assert out["data"][2] == "heard b" and state[count._id] == 2  # gr.State kept per session
    assert state[said._id].label == "said b" and said.label == "say"  # the update is the session's own
    assert holder["other"][count._id] == 0 and holder["other"][said._id].label == "say"
    assert state.config_values == {}  # Gradio's SessionState held ~520 configurations and every value sent
    components = {c["id"]: c for c in state.components}  # what a deep link would read: computed when asked
    assert set(components) == {c["id"] for c in SessionState(demo).components}
    assert components[said._id]["props"]["label"] == "said b"
    check_no_deep_links(demo)
    with gr.Blocks() as linked:
        gr.DeepLinkButton()
    with pytest.raises(ValueError, match="DeepLinkButton"):
        check_no_deep_links(linked)


def test_only_results_are_labelled_stale_not_the_controls_a_view_updates():
    from playground.ui.common.context import shown_ids

    with gr.Blocks():
        outputs = [gr.Plot(elem_id="plot"), gr.Dropdown(elem_id="layer"), gr.Number(elem_id="first"),
                   gr.Textbox(elem_id="said", interactive=False), gr.Markdown(elem_id="notes"), gr.State(),
                   gr.Image()]
    assert shown_ids(outputs) == ["plot", "said", "notes"]
