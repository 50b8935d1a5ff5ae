/* pathokg concept map: legend, filters, search, detail panel, neighbourhood focus, PNG export.
 * Data comes from the JSON element #map-data and is only ever inserted as text (textContent,
 * attributes set one by one): no innerHTML with data. */
(function () {
  "use strict";
  var t0 = performance.now();
  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var cats = DATA.categories, rels = DATA.relations, nodeMeta = DATA.nodeMeta;
  var evidence = DATA.evidence;
  /* Edges come as one flat array of [from, to, relation] index triples; inferred edges and the
   * evidence of each edge are listed apart by edge index. */
  var E = DATA.edges, edgeCount = DATA.edgeCount;
  var inferredFlag = new Uint8Array(edgeCount);
  DATA.inferred.forEach(function (i) { inferredFlag[i] = 1; });
  var edgeEv = null;
  function evidenceOf(i) {
    if (edgeEv === null) {
      edgeEv = {};
      DATA.edgeEvidence.forEach(function (row) { edgeEv[row[0]] = row.slice(1); });
    }
    return edgeEv[i] || [];
  }
  function edge(i) {
    return { id: i, from: E[3 * i], to: E[3 * i + 1], rel: E[3 * i + 2], inferred: inferredFlag[i] === 1,
             evidence: evidenceOf(i) };
  }
  var labels = DATA.nodes.map(function (n) { return n.label; });
  var timings = { parsed: performance.now() - t0 };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function safeHref(iri) { return /^https?:\/\//i.test(iri) ? iri : null; }
  function sentence(i) {
    return labels[E[3 * i]] + " \u2014 " + rels[E[3 * i + 2]].label + " \u2192 " + labels[E[3 * i + 1]];
  }

  /* ---- the network ------------------------------------------------------------------------ */
  /* Per-edge options only where an edge differs from the global edge options (vis-network merges
   * every per-edge option edge by edge): id, from, to; a label on small maps; dashes if inferred. */
  var INFERRED_COLOR = { color: "#8a8a8a", highlight: "#4a4a4a", hover: "#4a4a4a" };
  var edgeItems = new Array(edgeCount);
  for (var i = 0; i < edgeCount; i++) {
    var item = { id: i, from: E[3 * i], to: E[3 * i + 1] };
    if (DATA.edgeLabels) { item.label = rels[E[3 * i + 2]].label; }
    if (inferredFlag[i]) { item.dashes = [10, 8]; item.color = INFERRED_COLOR; }
    if (DATA.tooltips) { item.title = sentence(i); }
    edgeItems[i] = item;
  }
  var nodeItems = DATA.nodes;
  if (DATA.tooltips) {
    nodeItems = DATA.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      copy.title = n.label + " (" + cats[nodeMeta[n.id].c].label + ")";
      return copy;
    });
  }
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  edgeItems = null;
  timings.datasets = performance.now() - t0;
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  /* vis-network's own frame takes the keyboard (arrows move, + and - zoom): one tab stop, named */
  var frame = container.querySelector(".vis-network");
  if (frame) {
    frame.id = "map-frame";
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-label", "Concept map: the arrow keys move it, + and - zoom; " +
      "find and select a concept with the search box");
  }
  var statusEl = document.getElementById("status");
  var state = { hiddenCats: {}, focusSet: null, selected: null };
  timings.network = performance.now() - t0;
  var api = { network: network, ready: false, data: DATA, state: state, timings: timings, edge: edge };
  window.pathokgMap = api;

  /* Large maps: arrowheads are specks at the scale that fits the whole map and cost half the first
   * drawing, so they are switched on (one global option, no per-edge work) once zoomed in. */
  var ARROW_SCALE = 0.35, arrowsOn = !DATA.deferArrows;
  function syncArrows() {
    if (!DATA.deferArrows) { return; }
    var on = network.getScale() >= ARROW_SCALE;
    if (on !== arrowsOn) {
      arrowsOn = on;
      network.setOptions({ edges: { arrows: { to: { enabled: on, scaleFactor: 0.7 } } } });
    }
  }
  api.arrowsShown = function () { return arrowsOn; };

  network.once("afterDrawing", function () {
    api.ready = true;
    api.firstDrawMs = performance.now() - t0;
    api.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
    statusEl.textContent = "";
    if (DATA.deferArrows) { network.on("afterDrawing", syncArrows); }
  });

  /* ---- legend and category filters ---------------------------------------------------------- */
  var byCat = cats.map(function () { return []; });
  nodeMeta.forEach(function (m, i) { byCat[m.c].push(i); });
  var legend = document.getElementById("legend");
  var SVGNS = "http://www.w3.org/2000/svg";
  function swatch(cat) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "24"); svg.setAttribute("height", "24");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true");
    var shapes = {
      box: ["rect", { x: 2, y: 6, width: 20, height: 12, rx: 3 }],
      database: ["rect", { x: 4, y: 3, width: 16, height: 18, rx: 6 }],
      ellipse: ["ellipse", { cx: 12, cy: 12, rx: 10, ry: 7 }],
      circle: ["circle", { cx: 12, cy: 12, r: 9 }],
      dot: ["circle", { cx: 12, cy: 12, r: 8 }],
      square: ["rect", { x: 4, y: 4, width: 16, height: 16 }],
      diamond: ["path", { d: "M12 2 L22 12 L12 22 L2 12 Z" }],
      triangle: ["path", { d: "M12 3 L22 20 L2 20 Z" }],
      triangleDown: ["path", { d: "M2 4 L22 4 L12 21 Z" }],
      hexagon: ["path", { d: "M7 3 L17 3 L22 12 L17 21 L7 21 L2 12 Z" }],
      star: ["path", { d: "M12 2 L14.9 8.6 L22 9.3 L16.6 14 L18.2 21 L12 17.3 L5.8 21 L7.4 14 L2 9.3 L9.1 8.6 Z" }]
    };
    var spec = shapes[cat.shape] || shapes.dot;
    var s = document.createElementNS(SVGNS, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { s.setAttribute(k, spec[1][k]); });
    s.setAttribute("fill", cat.color); s.setAttribute("stroke", cat.border); s.setAttribute("stroke-width", "1.5");
    if (cat.dashed) { s.setAttribute("stroke-dasharray", "3 2"); }
    svg.appendChild(s);
    return svg;
  }
  cats.forEach(function (cat, ci) {
    var li = el("li", { "data-category": cat.key });
    var id = "cat-" + ci;
    var box = el("input", { type: "checkbox", id: id, "data-category": cat.key });
    box.checked = true;
    var label = el("label", { "for": id });
    if (cat.definition) { label.setAttribute("title", cat.definition); }
    label.appendChild(swatch(cat));
    label.appendChild(el("span", { "class": "cat-name" }, cat.label));
    label.appendChild(el("span", { "class": "cat-count" }, cat.count));
    li.appendChild(box); li.appendChild(label);
    legend.appendChild(li);
    box.addEventListener("change", function () {
      if (box.checked) { delete state.hiddenCats[ci]; } else { state.hiddenCats[ci] = true; }
      applyVisibility();
    });
  });
  function setAll(on) {
    legend.querySelectorAll("input[type=checkbox]").forEach(function (b, ci) {
      b.checked = on; if (on) { delete state.hiddenCats[ci]; } else { state.hiddenCats[ci] = true; }
    });
    applyVisibility();
  }
  document.getElementById("all-on").addEventListener("click", function () { setAll(true); });
  document.getElementById("all-off").addEventListener("click", function () { setAll(false); });

  function isHidden(i) {
    return !!state.hiddenCats[nodeMeta[i].c] || (state.focusSet !== null && !state.focusSet.has(i));
  }
  function applyVisibility() {
    var updates = [];
    var current = nodes.get({ fields: ["id", "hidden"] });
    current.forEach(function (n) {
      var h = isHidden(n.id);
      if (!!n.hidden !== h) { updates.push({ id: n.id, hidden: h }); }
    });
    if (updates.length) { nodes.update(updates); }
    var shown = DATA.nodes.length - nodes.get({ filter: function (n) { return n.hidden; } }).length;
    document.getElementById("counts").textContent = shown + " of " + DATA.nodes.length +
      " concepts shown · " + edgeCount + " relations";
  }
  api.applyVisibility = applyVisibility;

  /* ---- detail panel ------------------------------------------------------------------------- */
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function evidenceList(i) {
    var meta = edge(i);
    var box = el("div", { "class": "evidence" });
    if (meta.inferred) {
      box.appendChild(el("p", { "class": "inferred-note" },
        "Inferred by reasoning from the ontology: no passage of the article states it directly."));
    }
    meta.evidence.forEach(function (k) {
      var ev = evidence[k];
      var fig = el("figure", { "class": "quote" });
      fig.appendChild(el("blockquote", null, ev.quote));
      var cap = el("figcaption");
      cap.appendChild(el("span", { "class": "section" }, "Section: " + (ev.path || ev.section)));
      if (ev.sourceTitle) {
        cap.appendChild(document.createTextNode(" · "));
        cap.appendChild(el("cite", null, ev.sourceTitle));
      }
      if (ev.start !== null && ev.start !== undefined) {
        cap.appendChild(el("span", { "class": "offsets" }, " · characters " + ev.start + "\u2013" + ev.end));
      }
      fig.appendChild(cap);
      box.appendChild(fig);
    });
    if (!meta.inferred && meta.evidence.length === 0) {
      box.appendChild(el("p", { "class": "hint" }, "No evidence recorded for this relation."));
    }
    return box;
  }
  function relationItem(i, from) {
    var li = el("li", { "class": "relation" });
    var e = edge(i);
    var h = el("p", { "class": "sentence" });
    var a = el("button", { type: "button", "class": "link" }, labels[e.from]);
    a.addEventListener("click", function () { selectNode(e.from, true); });
    var b = el("button", { type: "button", "class": "link" }, labels[e.to]);
    b.addEventListener("click", function () { selectNode(e.to, true); });
    h.appendChild(e.from === from ? el("strong", null, labels[e.from]) : a);
    h.appendChild(el("span", { "class": "predicate" }, " \u2014 " + rels[e.rel].label + " \u2192 "));
    h.appendChild(e.to === from ? el("strong", null, labels[e.to]) : b);
    if (e.inferred) { h.appendChild(el("span", { "class": "badge" }, "inferred")); }
    li.appendChild(h);
    li.appendChild(evidenceList(i));
    return li;
  }
  function showNode(i) {
    var m = nodeMeta[i], cat = cats[m.c];
    clear(body);
    body.appendChild(el("h2", { id: "panel-title" }, labels[i]));
    var c = el("p", { "class": "category" });
    c.appendChild(swatch(cat)); c.appendChild(el("span", null, cat.label));
    body.appendChild(c);
    if (m.s.length) { body.appendChild(el("p", { "class": "synonyms" }, "Also called: " + m.s.join(", "))); }
    if (m.d) { body.appendChild(el("p", { "class": "definition" }, m.d)); }
    if (typeof DATA.conceptPages === "string" && m.iri.indexOf(DATA.base) === 0) {
      var page = el("a", { href: DATA.conceptPages + m.iri.slice(DATA.base.length) }, "Open the concept page");
      body.appendChild(el("p")).appendChild(page);
    }
    if (m.x.length) {
      body.appendChild(el("h3", null, "External identifiers"));
      var ul = el("ul", { "class": "identifiers" });
      m.x.forEach(function (x) {
        var li = el("li");
        var href = safeHref(x[1]);
        var a = href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer", title: x[1] }, x[0])
                     : el("span", null, x[0]);
        li.appendChild(a);
        li.appendChild(el("span", { "class": "match" }, " " + x[2].replace("Match", " match")));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    var mine = network.getConnectedEdges(i).slice().sort(function (a, b) { return a - b; });
    body.appendChild(el("h3", null, "Relations (" + mine.length + ")"));
    var list = el("ul", { "class": "relations" });
    mine.forEach(function (k) { list.appendChild(relationItem(k, i)); });
    body.appendChild(list);
  }
  function showEdge(i) {
    clear(body);
    var e = edge(i), rel = rels[e.rel];
    body.appendChild(el("h2", { id: "panel-title" }, sentence(i)));
    if (rel.definition) {
      body.appendChild(el("p", { "class": "definition" },
        "\u201c" + rel.label + "\u201d: " + rel.definition));
    }
    var list = el("ul", { "class": "relations" });
    list.appendChild(relationItem(i, -1));
    body.appendChild(list);
    var back = el("p");
    [e.from, e.to].forEach(function (n) {
      var b = el("button", { type: "button", "class": "link" }, "About " + labels[n]);
      b.addEventListener("click", function () { selectNode(n, true); });
      back.appendChild(b); back.appendChild(document.createTextNode(" "));
    });
    body.appendChild(back);
  }
  function selectNode(i, focus) {
    if (isHidden(i)) {
      var c = nodeMeta[i].c;
      if (state.hiddenCats[c]) {
        delete state.hiddenCats[c];
        var box = document.getElementById("cat-" + c); if (box) { box.checked = true; }
      }
      if (state.focusSet !== null) { state.focusSet = null; }
      applyVisibility();
    }
    state.selected = i;
    network.selectNodes([i], true);
    document.getElementById("focus").disabled = false;
    showNode(i);
    if (focus) {
      network.focus(i, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
  }
  api.selectNode = selectNode;
  function selectEdge(i) {
    state.selected = null;
    network.selectEdges([i]);
    document.getElementById("focus").disabled = true;
    showEdge(i);
  }
  api.selectEdge = selectEdge;
  network.on("click", function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; document.getElementById("focus").disabled = false; showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  /* ---- search over labels and synonyms ------------------------------------------------------ */
  var index = null;  /* built on the first search, not before the first drawing */
  function buildIndex() {
    index = [];
    labels.forEach(function (l, i) {
      index.push([l.toLowerCase(), i, 0]);
      nodeMeta[i].s.forEach(function (s) { index.push([s.toLowerCase(), i, 1]); });
    });
  }
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    if (index === null) { buildIndex(); }
    var scored = [];
    index.forEach(function (entry) {
      var name = entry[0], score = -1;
      if (name === q) { score = 0; }
      else if (name.indexOf(q) === 0) { score = 1; }
      else if (name.indexOf(" " + q) >= 0) { score = 2; }
      else if (name.indexOf(q) >= 0) { score = 3; }
      if (score >= 0) { scored.push([score * 2 + entry[2], name.length, entry[1]]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    var seen = {}, out = [];
    scored.forEach(function (s) { if (!seen[s[2]]) { seen[s[2]] = true; out.push(s[2]); } });
    return out;
  }
  api.search = search;
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  function showResults(found) {
    clear(results);
    found.slice(0, 12).forEach(function (i) {
      var li = el("li", { role: "option" });
      var b = el("button", { type: "button", "class": "result" });
      b.appendChild(el("span", null, labels[i]));
      var q = input.value.trim().toLowerCase();
      var syn = nodeMeta[i].s.filter(function (s) { return s.toLowerCase().indexOf(q) >= 0; })[0];
      if (syn && labels[i].toLowerCase().indexOf(q) < 0) { b.appendChild(el("small", null, " (" + syn + ")")); }
      b.appendChild(el("small", { "class": "cat" }, " " + cats[nodeMeta[i].c].label));
      b.addEventListener("click", function () { selectNode(i, true); results.hidden = true; });
      li.appendChild(b); results.appendChild(li);
    });
    results.hidden = found.length === 0;
  }
  var clearButton = document.getElementById("search-clear");
  input.addEventListener("input", function () {
    clearButton.hidden = input.value === "";
    showResults(search(input.value));
  });
  clearButton.addEventListener("click", function () {
    input.value = ""; clearButton.hidden = true; results.hidden = true; input.focus();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = search(input.value);
      if (found.length) { selectNode(found[0], true); results.hidden = true; }
      else { statusEl.textContent = "No concept matches \u201c" + input.value + "\u201d."; }
      ev.preventDefault();
    } else if (ev.key === "ArrowDown") {
      var first = results.querySelector("button"); if (first) { first.focus(); ev.preventDefault(); }
    } else if (ev.key === "Escape") {
      if (results.hidden) { input.value = ""; clearButton.hidden = true; } else { results.hidden = true; }
    }
  });
  results.addEventListener("keydown", function (ev) {
    var items = Array.prototype.slice.call(results.querySelectorAll("button"));
    var k = items.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && k < items.length - 1) { items[k + 1].focus(); ev.preventDefault(); }
    if (ev.key === "ArrowUp") { (k > 0 ? items[k - 1] : input).focus(); ev.preventDefault(); }
    if (ev.key === "Escape") { results.hidden = true; input.focus(); }
  });

  /* ---- neighbourhood focus, reset, fit, export ------------------------------------------------ */
  function neighbourhood(i, depth) {
    var seen = new Set([i]), frontier = [i];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (n) {
        network.getConnectedNodes(n).forEach(function (m) { if (!seen.has(m)) { seen.add(m); next.push(m); } });
      });
      frontier = next;
    }
    return seen;
  }
  function focusOn(i, depth) {
    state.focusSet = neighbourhood(i, depth);
    applyVisibility();
    network.fit({ nodes: Array.from(state.focusSet), animation: { duration: 400 } });
  }
  api.focusOn = focusOn;
  document.getElementById("focus").addEventListener("click", function () {
    if (state.selected !== null) { focusOn(state.selected, parseInt(document.getElementById("depth").value, 10)); }
  });
  function reset() {
    state.focusSet = null; state.hiddenCats = {};
    legend.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = true; });
    applyVisibility(); network.unselectAll(); network.fit({ animation: { duration: 300 } });
  }
  api.reset = reset;
  document.getElementById("reset").addEventListener("click", reset);
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  function exportPng() {
    var src = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = src.width; out.height = src.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    var a = el("a", { href: out.toDataURL("image/png"), download: (DATA.view || "concept-map") + ".png" });
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
    return a.getAttribute("href").length;
  }
  api.exportPng = exportPng;
  document.getElementById("export").addEventListener("click", exportPng);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && document.activeElement !== input) { network.unselectAll(); }
    if (ev.key === "/" && document.activeElement !== input) { input.focus(); ev.preventDefault(); }
  });
})();
