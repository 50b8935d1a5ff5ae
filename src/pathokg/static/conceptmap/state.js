/* Shareable state: the view, the selection, the hidden categories, the neighbourhood focus, the
 * zoom and the mode live in the URL fragment, and are restored when the page opens:
 *   #view=dc&c=chronic-kidney-disease          a selected concept (its id)
 *   #e=chronic-kidney-disease~isRiskFactorFor~dystrophic-calcification    a selected relation
 *   &hide=DiseaseOrDisorder,ChemicalEntity     hidden categories
 *   &focus=chronic-kidney-disease~2            a neighbourhood
 *   &z=0.9~120~-40                             scale and centre of the view
 *   &story=3  or  &quiz=5                      a step of the story, a quiz question
 *   &ev=ev-<article>/<evidence id>             a passage of the article (from the reader page) */
(function () {
  "use strict";
  var api = window.pathokgMap, network = api.network, DATA = api.data, state = api.state;
  var meta = DATA.nodeMeta, E = DATA.edges;
  function id(i) { var iri = meta[i].iri; return iri.slice(iri.replace(/\/$/, "").lastIndexOf("/") + 1); }
  function local(iri) { return iri.slice(Math.max(iri.lastIndexOf("/"), iri.lastIndexOf("#")) + 1); }
  var byId = {};
  meta.forEach(function (m, i) { byId[id(i)] = i; });
  function edgeKey(k) { return [id(E[3 * k]), local(DATA.relations[E[3 * k + 2]].iri), id(E[3 * k + 1])].join("~"); }
  function findEdge(key) {
    var total = DATA.edgeTotal || DATA.edgeCount;
    for (var k = 0; k < total; k++) { if (edgeKey(k) === key) { return k; } }
    return -1;
  }
  function encode() {
    var parts = [["view", DATA.view]];
    if (state.selected !== null && state.selected !== undefined) { parts.push(["c", id(state.selected)]); }
    else if (state.selectedEdge !== null && state.selectedEdge !== undefined) { parts.push(["e", edgeKey(state.selectedEdge)]); }
    var hidden = Object.keys(state.hiddenCats).map(function (c) { return DATA.categories[c].key; }).sort();
    if (hidden.length) { parts.push(["hide", hidden.join(",")]); }
    if (state.focusSet !== null && state.focusOf) { parts.push(["focus", id(state.focusOf[0]) + "~" + state.focusOf[1]]); }
    if (state.storyStep) { parts.push(["story", String(state.storyIndex + 1)]); }
    if (state.quizEdge !== null && state.quizEdge !== undefined) { parts.push(["quiz", String(state.quizIndex + 1)]); }
    var pos = network.getViewPosition();
    parts.push(["z", [network.getScale().toFixed(3), pos.x.toFixed(0), pos.y.toFixed(0)].join("~")]);
    return parts.map(function (p) { return p[0] + "=" + encodeURIComponent(p[1]).replace(/%2C/g, ",").replace(/%7E/gi, "~"); }).join("&");
  }
  api.encodeState = encode;
  function decode(hash) {
    var out = {};
    hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var k = pair.indexOf("=");
      if (k > 0) { try { out[pair.slice(0, k)] = decodeURIComponent(pair.slice(k + 1)); } catch (err) { /* ignore a broken part */ } }
    });
    return out;
  }
  var restoring = false, timer = null;
  function save() {
    if (restoring || !api.ready) { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () {
      timer = null;
      var text = "#" + encode();
      if (location.hash === text) { return; }
      try { history.replaceState(null, "", text); } catch (err) { /* about:srcdoc in a notebook: no URL to keep */ }
    }, 150);
  }
  api.saveState = save;
  ["select", "change", "mode"].forEach(function (name) { api.on(name, save); });
  network.on("zoom", save);
  network.on("dragEnd", save);
  network.on("animationFinished", save);

  /* Restore the state in the fragment; returns true if it set the view (zoom, focus, story...). */
  function restore(hash) {
    var s = decode(hash || location.hash);
    if (!Object.keys(s).length) { return false; }
    restoring = true;
    var viewSet = false, problems = [];
    try {
      if (s.view && s.view !== DATA.view) {
        var other = (DATA.views || []).filter(function (v) { return v[0] === s.view; })[0];
        if (other) { location.replace(other[1] + location.hash); return true; }
        problems.push("this file holds the " + DATA.view + " view, not " + s.view);
      }
      if (s.hide) {
        s.hide.split(",").forEach(function (key) {
          DATA.categories.forEach(function (c, ci) { if (c.key === key) { api.setCategoryHidden(ci, true); } });
        });
        api.applyVisibility();
      }
      if (s.focus) {
        var f = s.focus.split("~");
        if (byId[f[0]] !== undefined && api.nodes.get(byId[f[0]])) { api.focusOn(byId[f[0]], parseInt(f[1], 10) || 1); viewSet = true; }
        else { problems.push("no concept " + f[0] + " to focus on"); }
      }
      if (s.c) {
        if (byId[s.c] !== undefined) { api.selectNode(byId[s.c], false); } else { problems.push("no concept " + s.c); }
      } else if (s.e) {
        var k = findEdge(s.e);
        if (k >= 0) { api.selectEdge(k, !s.z); viewSet = viewSet || !s.z; } else { problems.push("no relation " + s.e); }
      }
      if (s.ev) { viewSet = api.showPassage(s.ev) || viewSet; }
      if (s.story && api.showStep) { api.showStep(parseInt(s.story, 10) - 1); viewSet = true; }
      if (s.quiz && api.showQuestion) { api.showQuestion(parseInt(s.quiz, 10) - 1); viewSet = true; }
      if (s.z) {
        var z = s.z.split("~").map(Number);
        if (z.length === 3 && z.every(isFinite) && z[0] > 0) {
          network.moveTo({ scale: z[0], position: { x: z[1], y: z[2] }, animation: false });
          viewSet = true;
        }
      }
    } finally {
      restoring = false;
    }
    if (problems.length) { api.say("The link asked for " + problems.join("; ") + ".", false); }
    return viewSet;
  }
  api.restoreState = restore;
  api.on("ready", function () { return restore(); });
  window.addEventListener("hashchange", function () { if (!restoring && location.hash !== "#" + encode()) { restore(); } });
})();
