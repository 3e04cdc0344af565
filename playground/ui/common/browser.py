"""Every program the app runs in the learner's browser (Gradio's ``js=``), in one place.

Each is a JavaScript function as a string; the ``%s`` in some is an element id filled in by the caller.
``toast_titles_head`` is a script for the page's <head> (``launch(head=...)``).
"""

from __future__ import annotations

import json

# The page's language: ?lang= in the address, else the browser's own (a JavaScript expression).
_PAGE_LANGUAGE = """((new URLSearchParams(window.location.search).get("lang") || navigator.language || "en")
  .toLowerCase().startsWith("zh") ? "zh" : "en")"""

# The page opens: its language and the tab to show first (?tab=<id>; the MLP tab for a shared ?mlp= experiment),
# in place of the first two inputs; the others (server-side state) pass through.
OPEN_PAGE = f"""
(lang, tab, ...rest) => {{
  const query = new URLSearchParams(window.location.search);
  return [{_PAGE_LANGUAGE}, query.get("mlp") ? "mlp" : (query.get("tab") || ""), ...rest];
}}
"""

# "?mlp=<string>" in the page's address: a shared MLP experiment.
READ_MLP_LINK = """() => new URLSearchParams(window.location.search).get("mlp") || "" """

# Gradio 6's gr.Plot hands plotly only data and layout, dropping `frames`; this puts them back so the
# figure's Play button and slider animate. Runs after every new value of the plot whose element id is %s.
PLOT_FRAMES = """
async (value) => {
  if (!value || !value.plot) return;
  const fig = JSON.parse(value.plot);
  if (!fig.frames || !fig.frames.length) return;
  for (let i = 0; i < 100; i++) {  // wait until Gradio has drawn the new figure
    const gd = document.querySelector('#%s .js-plotly-plot');
    if (gd && gd._fullLayout && window.Plotly) {
      gd._transitionData._frames = [];
      gd._transitionData._frameHash = {};
      await window.Plotly.addFrames(gd, fig.frames);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
"""

# Gradio's sketchpad starts with no tool ("select the draw tool to start"): pick the brush of the sketchpad %s.
PICK_BRUSH = """
async () => {
  for (let i = 0; i < 20; i++) {
    const brush = document.querySelector('#%s button[aria-label="Brush"]');
    if (brush) { brush.click(); return; }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
"""


# A picture or panel no longer shows the learner's current input: it keeps its place, dimmed, under a label in the
# page's language (assets/playground.css: [data-stale]). ``failed``: the new input was refused, this is the last
# good result; ``changed``: an input changed since this was computed (a panel computed on a button press).
STALE_LABELS = {
    "failed": {"en": "Last good result: your new input was refused (see the message)",
               "zh": "上一次成功的结果：你新的输入没有被接受（见提示）"},
    "changed": {"en": "Computed for your previous input: press the button again",
                "zh": "这是根据你之前的输入算出的：请再按一次按钮"},
}


def mark_stale(elem_ids: list[str], reason: str) -> str:
    """A program that labels the elements ``elem_ids`` stale (``reason``: a key of ``STALE_LABELS``), those that
    show a result: an empty panel is not labelled."""
    return f"""() => {{
  const lang = (document.querySelector("#lang input:checked") || {{}}).value === "zh" ? "zh" : "en";
  const label = {json.dumps(STALE_LABELS[reason], ensure_ascii=False)}[lang];
  // something shown: marked by clear_stale, or (drawn while hidden in a closed tab or accordion) on the page
  const shows = (element) => element.dataset.shown || element.querySelector(".js-plotly-plot, img, table")
    || ((element.querySelector(".prose") || {{}}).textContent || "").trim();
  for (const id of {json.dumps(elem_ids)}) {{
    const element = document.getElementById(id);
    if (element && shows(element)) element.dataset.stale = label;  // nothing shown yet: nothing stale
  }}
}}"""


def clear_stale(elem_ids: list[str]) -> str:
    """A program that takes the stale label off the elements ``elem_ids`` (they show the current input again) and
    marks them as having shown a result."""
    return f"""() => {{
  for (const id of {json.dumps(elem_ids)}) {{
    const element = document.getElementById(id);
    if (element) {{
      delete element.dataset.stale;
      element.dataset.shown = "1";
    }}
  }}
}}"""


def toast_titles_head(titles: dict[str, str]) -> str:
    """A script for the page's <head>: an error toast's heading in the page's language (``titles``: language →
    heading). Gradio 6.31 drops the title a ``gr.Error`` carries (its client passes ``title``, the page reads
    ``_title``) and always shows "Error"; this renames the heading of each error toast as it appears."""
    return """<script>
(() => {
  const titles = TITLES;
  let queued = false;
  const rename = () => {
    queued = false;
    const lang = (document.querySelector("#lang input:checked") || {}).value || "en";
    for (const title of document.querySelectorAll(".toast-title.error")) {
      const text = title.firstChild;
      if (text && text.nodeType === Node.TEXT_NODE && text.textContent.trim() === "Error") {
        text.textContent = (titles[lang] || titles.en) + " ";
      }
    }
  };
  new MutationObserver(() => {  // at most once per frame: figures change the page often
    if (!queued) { queued = true; requestAnimationFrame(rename); }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
})();
</script>""".replace("TITLES", json.dumps(titles, ensure_ascii=False))


def retry_when_busy_head(notes: dict[str, str], pauses: tuple[float, ...]) -> str:
    """A script for the page's <head>: a request the server refuses as busy (HTTP 503 on Gradio's queue) is sent
    again after each of ``pauses`` (seconds, each ×0.5–1.5 at random), with a note in the page's language (``notes``:
    language → text with ``{seconds}``); only after the last pause does Gradio's own "busy, try again" reach the
    learner. Gradio 6.31's page gives up at the first 503 and leaves the panel blank. Its client calls the page's
    ``fetch`` for every request, so wrapping ``window.fetch`` reaches every event, page load included."""
    return """<script>
(() => {
  const notes = NOTES, pauses = PAUSES, send = window.fetch.bind(window);
  const waiting = new Map();  // request → seconds until it is sent again
  let note = null;
  const show = () => {
    if (!note) {
      note = document.createElement("div");
      note.id = "busy-note";
      note.setAttribute("role", "status");
      document.body.appendChild(note);
    }
    if (!waiting.size) { note.hidden = true; return; }
    const lang = (document.querySelector("#lang input:checked") || {}).value || "en";
    note.textContent = (notes[lang] || notes.en).replace("{seconds}", Math.max(...waiting.values()));
    note.hidden = false;
  };
  window.playgroundBusyRetries = 0;  // how many requests were sent again (read by the browser tests)
  window.fetch = async (resource, options) => {
    const url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    if (!url.includes("/queue/join") || !options || options.method !== "POST") return send(resource, options);
    const request = {};
    try {
      for (let attempt = 0; ; attempt++) {
        const response = await send(resource, options);
        if (response.status !== 503 || attempt >= pauses.length) return response;
        const seconds = pauses[attempt] * (0.5 + Math.random());
        waiting.set(request, Math.ceil(seconds));
        show();
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        window.playgroundBusyRetries += 1;
      }
    } finally {
      waiting.delete(request);
      if (note) show();
    }
  };
})();
</script>""".replace("NOTES", json.dumps(notes, ensure_ascii=False)).replace("PAUSES", json.dumps(list(pauses)))
