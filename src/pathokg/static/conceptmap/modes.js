/* Teaching modes: the story (the map in the article's order, step by step, with its quotes), the
 * quiz (a hidden concept or relation, plausible choices, the quote as the answer, a score) and
 * presentation mode. Steps and questions are made by pathokg from the graph (DATA.story,
 * DATA.quiz); a statement the article qualifies is shown with its qualifier, never as plain fact. */
(function () {
  "use strict";
  var api = window.pathokgMap, network = api.network, DATA = api.data, state = api.state;
  var el = api.el, clear = api.clear, labels = api.labels, rels = DATA.relations;
  var nodes = api.nodes, edges = api.edges;
  var steps = DATA.story || [], quiz = DATA.quiz || [];
  var DEFAULT_COLOR = { color: "#5b5b5b", highlight: "#111111", hover: "#111111" };

  /* ---- dimming what a step or a question is not about --------------------------------------- */
  var dimmed = false;
  function edgeColor(k, opacity) {
    var look = api.LOOK[api.edge(k).style];
    return Object.assign({}, look ? look.color : DEFAULT_COLOR, { opacity: opacity });
  }
  function dim(keepNodes, keepEdges) {
    var n = {}, e = {};
    keepNodes.forEach(function (i) { n[i] = true; });
    keepEdges.forEach(function (k) { e[k] = true; });
    nodes.update(nodes.getIds().map(function (id) { return { id: id, opacity: n[id] ? 1 : 0.18 }; }));
    edges.update(edges.getIds().map(function (k) { return { id: k, color: edgeColor(k, e[k] ? 1 : 0.12) }; }));
    dimmed = true;
    state.modeEdges = e;
  }
  function undim() {
    if (!dimmed) { return; }
    nodes.update(nodes.getIds().map(function (id) { return { id: id, opacity: 1 }; }));
    edges.update(edges.getIds().map(function (k) { return { id: k, color: edgeColor(k, 1) }; }));
    dimmed = false;
    state.modeEdges = null;
  }
  api.undim = undim;
  function setPressed(id, on) { document.getElementById(id).setAttribute("aria-pressed", on ? "true" : "false"); }

  /* ---- story -------------------------------------------------------------------------------- */
  var storyButton = document.getElementById("story-toggle");
  if (!steps.length) { storyButton.hidden = true; }
  function passagesOf(step) {
    var groups = {}, order = [];
    step.edges.forEach(function (k) {
      api.edge(k).evidence.forEach(function (j) {
        var ev = DATA.evidence[j], key = ev.start + "|" + ev.quote;
        if (!groups[key]) { groups[key] = { first: j, start: ev.start, edges: [] }; order.push(key); }
        if (groups[key].edges.indexOf(k) < 0) { groups[key].edges.push(k); }
      });
    });
    return order.map(function (k) { return groups[k]; })
      .sort(function (a, b) { return (a.start === null) - (b.start === null) || a.start - b.start; });
  }
  function showStep(n) {
    if (!steps.length) { return; }
    stopQuiz();
    n = Math.max(0, Math.min(steps.length - 1, n));
    var step = steps[n];
    state.storyIndex = n; state.storyStep = step.n;
    api.openDrawer("story");
    setPressed("story-toggle", true);
    document.getElementById("story-count").textContent = "Story \u00b7 step " + (n + 1) + " of " + steps.length;
    document.getElementById("story-title").textContent = step.title;
    var body = document.getElementById("story-body");
    clear(body);
    var list = el("ol", { "class": "passages" });
    passagesOf(step).forEach(function (p) {
      var li = el("li");
      li.appendChild(api.quoteFigure(p.first));
      var ul = el("ul", { "class": "states" });
      p.edges.forEach(function (k) {
        var item = el("li");
        var b = el("button", { type: "button", "class": "link" }, api.sentence(k));
        b.addEventListener("click", function () { api.selectEdge(k, true); });
        item.appendChild(b);
        var e = api.edge(k);
        if (e.style !== "stated") { item.appendChild(el("span", { "class": "badge badge-" + e.style }, e.style)); }
        ul.appendChild(item);
      });
      li.appendChild(ul);
      list.appendChild(li);
    });
    body.appendChild(list);
    document.getElementById("story-prev").disabled = n === 0;
    document.getElementById("story-next").disabled = n === steps.length - 1;
    var keep = step.nodes.slice();
    if (typeof DATA.centre === "number") { keep.push(DATA.centre); }
    keep = keep.filter(function (i) { return nodes.get(i); });
    network.unselectAll();
    dim(keep, step.edges);
    api.fitNodes(keep);
    api.emit("mode");
  }
  function stopStory() {
    if (state.storyStep === null || state.storyStep === undefined) { return; }
    state.storyStep = null; state.storyIndex = null;
    setPressed("story-toggle", false);
    document.getElementById("story").hidden = true;
    undim();
    api.emit("mode");
  }
  api.showStep = showStep; api.stopStory = stopStory;
  storyButton.addEventListener("click", function () {
    if (state.storyStep) { api.closeDrawer("story"); } else { showStep(0); }
  });
  document.getElementById("story-prev").addEventListener("click", function () { showStep(state.storyIndex - 1); });
  document.getElementById("story-next").addEventListener("click", function () { showStep(state.storyIndex + 1); });

  /* ---- quiz --------------------------------------------------------------------------------- */
  var quizButton = document.getElementById("quiz-toggle");
  if (!quiz.length) { quizButton.hidden = true; }
  var run = { index: 0, score: 0, asked: 0, answered: false, masked: null };
  api.quizRun = run;
  function unmask() {
    if (run.masked !== null) {
      var i = run.masked;
      var item = { id: i, label: labels[i] };
      if (DATA.tooltips) { item.title = labels[i] + " (" + DATA.categories[DATA.nodeMeta[i].c].label + ")"; }
      nodes.update(item);
      run.masked = null;
    }
  }
  function blank() { return el("span", { "class": "blank" }, "?"); }
  function showQuestion(k) {
    if (!quiz.length) { return; }
    stopStory();
    unmask();
    run.index = ((k % quiz.length) + quiz.length) % quiz.length; run.answered = false;
    var q = quiz[run.index], e = api.edge(q[0]), hide = q[1];
    state.quizEdge = q[0]; state.quizHide = hide; state.quizIndex = run.index;
    api.openDrawer("quiz");
    setPressed("quiz-toggle", true);
    document.getElementById("quiz-count").textContent = "Quiz \u00b7 question " + (run.asked + 1);
    score();
    var prompt = document.getElementById("quiz-prompt");
    clear(prompt);
    prompt.appendChild(hide === "s" ? blank() : el("strong", null, labels[e.from]));
    prompt.appendChild(document.createTextNode(" \u2014 "));
    prompt.appendChild(hide === "p" ? blank() : el("em", null, rels[e.rel].label));
    prompt.appendChild(document.createTextNode(" \u2192 "));
    prompt.appendChild(hide === "o" ? blank() : el("strong", null, labels[e.to]));
    var qual = document.getElementById("quiz-qualifier"), words = api.edgeQualifier(q[0]);
    qual.hidden = !words;
    qual.textContent = words ? "The article says this with a qualifier: " + words : "";
    var box = document.getElementById("quiz-choices");
    clear(box);
    q[2].forEach(function (c) {
      var b = el("button", { type: "button", "class": "choice", "data-choice": c },
                 hide === "p" ? rels[c].label : labels[c]);
      b.addEventListener("click", function () { answer(c); });
      box.appendChild(b);
    });
    clear(document.getElementById("quiz-reveal"));
    document.getElementById("quiz-next").textContent = "Skip \u2192";
    if (hide === "s" || hide === "o") {
      run.masked = hide === "s" ? e.from : e.to;
      nodes.update({ id: run.masked, label: "?", title: "?" });
    }
    dim([e.from, e.to], [q[0]]);
    network.unselectAll();
    api.fitNodes([e.from, e.to]);
    api.emit("mode");
  }
  function score() {
    document.getElementById("quiz-score").textContent = "Score " + run.score + " of " + run.asked;
  }
  function answer(c) {
    if (run.answered) { return; }
    var q = quiz[run.index];
    run.answered = true; run.asked += 1;
    var right = c === q[3];
    if (right) { run.score += 1; }
    score();
    document.querySelectorAll("#quiz-choices .choice").forEach(function (b) {
      var v = parseInt(b.getAttribute("data-choice"), 10);
      b.disabled = true;
      if (v === q[3]) { b.classList.add("right"); b.appendChild(document.createTextNode(" \u2713")); }
      else if (v === c) { b.classList.add("wrong"); b.appendChild(document.createTextNode(" \u2717")); }
    });
    unmask();
    state.quizHide = null;
    var box = document.getElementById("quiz-reveal");
    clear(box);
    box.appendChild(el("p", { "class": right ? "verdict right" : "verdict wrong" },
      (right ? "Right. " : "Not quite. ") + api.sentence(q[0]) + "."));
    api.edge(q[0]).evidence.forEach(function (j) { box.appendChild(api.quoteFigure(j)); });
    document.getElementById("quiz-next").textContent = "Next question \u2192";
    network.redraw();
    api.emit("mode");
    return right;
  }
  function stopQuiz() {
    if (state.quizEdge === undefined || state.quizEdge === null) { return; }
    unmask();
    state.quizEdge = null; state.quizHide = null; state.quizIndex = null;
    setPressed("quiz-toggle", false);
    document.getElementById("quiz").hidden = true;
    undim();
    api.emit("mode");
  }
  api.showQuestion = showQuestion; api.answer = answer; api.stopQuiz = stopQuiz;
  quizButton.addEventListener("click", function () {
    if (state.quizEdge !== undefined && state.quizEdge !== null) { api.closeDrawer("quiz"); } else { showQuestion(run.index); }
  });
  document.getElementById("quiz-next").addEventListener("click", function () { showQuestion(run.index + 1); });

  /* closing a drawer ends its mode; Escape and Reset end both */
  api.on("close", function (id) { if (id === "story") { stopStory(); } if (id === "quiz") { stopQuiz(); } });
  api.on("escape", function () { stopStory(); stopQuiz(); });
  api.on("reset", function () { stopStory(); stopQuiz(); });

  /* ---- presentation mode -------------------------------------------------------------------- */
  var presentButton = document.getElementById("present");
  function present(on) {
    document.body.classList.toggle("present", on);
    setPressed("present", on);
    presentButton.textContent = on ? "Exit presentation" : "Present";
    var root = document.documentElement;
    try {
      if (on && root.requestFullscreen && !document.fullscreenElement) { root.requestFullscreen().catch(function () {}); }
      if (!on && document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen().catch(function () {}); }
    } catch (err) { /* a sandboxed frame may refuse full screen: the layout alone does it */ }
    setTimeout(function () { network.redraw(); }, 50);
    api.emit("mode");
  }
  api.present = present;
  presentButton.addEventListener("click", function () { present(!document.body.classList.contains("present")); });
  document.addEventListener("keydown", function (ev) {
    if (ev.target && /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName)) { return; }
    if (state.storyStep && (ev.key === "PageDown" || (ev.key === "ArrowRight" && ev.shiftKey))) { showStep(state.storyIndex + 1); ev.preventDefault(); }
    if (state.storyStep && (ev.key === "PageUp" || (ev.key === "ArrowLeft" && ev.shiftKey))) { showStep(state.storyIndex - 1); ev.preventDefault(); }
  });
})();
