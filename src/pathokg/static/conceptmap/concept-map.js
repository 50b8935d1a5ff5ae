/* pathokg concept map: the network, legend and filters, detail panel, search across every concept,
 * neighbourhood focus, drawers, keyboard, and saving the whole map (SVG, PNG, print).
 * Data comes from the JSON element #map-data and is only ever inserted as text (textContent,
 * attributes set one by one): no innerHTML with data. The other scripts of the page (edge-labels.js,
 * modes.js, state.js) add to window.pathokgMap. */
(function () {
  "use strict";
  var t0 = performance.now();
  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var cats = DATA.categories, rels = DATA.relations, nodeMeta = DATA.nodeMeta;
  var evidence = DATA.evidence;
  /* Edges come as one flat array of [from, to, relation] index triples, the drawn ones first
   * (edgeCount), then the rest of the graph (up to edgeTotal) for the search; inferred edges,
   * qualified edges and the evidence of each edge are listed apart by edge index. Concepts too:
   * DATA.nodes are drawn, nodeMeta also holds the rest (with their label "l"). */
  var E = DATA.edges, edgeCount = DATA.edgeCount, edgeTotal = DATA.edgeTotal || DATA.edgeCount;
  var drawnCount = DATA.nodes.length;
  var inferredFlag = new Uint8Array(edgeTotal);
  DATA.inferred.forEach(function (i) { inferredFlag[i] = 1; });
  var styleOf = {};
  (DATA.edgeStyles || []).forEach(function (row) { styleOf[row[0]] = row[1]; });
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
             style: inferredFlag[i] ? "inferred" : (styleOf[i] || "stated"), evidence: evidenceOf(i) };
  }
  var labels = nodeMeta.map(function (m, i) { return i < drawnCount ? DATA.nodes[i].label : m.l; });
  var timings = { parsed: performance.now() - t0 };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function safeHref(iri) { return /^https?:\/\//i.test(iri) ? iri : null; }
  function sentence(i) {
    return labels[E[3 * i]] + " \u2014 " + rels[E[3 * i + 2]].label + " \u2192 " + labels[E[3 * i + 1]];
  }
  /* The words a qualified statement carries: never shown as a plain fact. */
  function qualifierText(k) {
    var ev = evidence[k], parts = [];
    if (ev.certainty && ev.certainty.key !== "Stated") { parts.push(ev.certainty.label); }
    if (ev.conditions && ev.conditions.length) { parts.push("if " + ev.conditions.join("; if ")); }
    return parts.join(" \u00b7 ");
  }
  function edgeQualifier(i) {
    var words = [];
    edge(i).evidence.forEach(function (k) { var q = qualifierText(k); if (q && words.indexOf(q) < 0) { words.push(q); } });
    return words.join(" / ");
  }

  /* ---- the network ------------------------------------------------------------------------ */
  /* Per-edge options only where an edge differs from the global edge options (vis-network merges
   * every per-edge option edge by edge): id, from, to; dashes and colour if inferred or qualified. */
  var LOOK = {
    inferred: { dashes: [10, 8], color: { color: "#8a8a8a", highlight: "#4a4a4a", hover: "#4a4a4a" } },
    hedged: { dashes: [2, 5], color: { color: "#7a5a00", highlight: "#3d2d00", hover: "#3d2d00" } },
    conditional: { dashes: [12, 4, 2, 4], color: { color: "#7a3e9d", highlight: "#3d1f4f", hover: "#3d1f4f" } },
    investigational: { dashes: [4, 4], color: { color: "#b03a2e", highlight: "#581d17", hover: "#581d17" } },
    hpo: { dashes: [1, 4], color: { color: "#00798c", highlight: "#003c46", hover: "#003c46" } },
    mapping: { dashes: [8, 3, 1, 3], color: { color: "#3d5a80", highlight: "#1e2d40", hover: "#1e2d40" } }
  };
  function edgeItem(i) {
    var item = { id: i, from: E[3 * i], to: E[3 * i + 1] };
    var look = LOOK[edge(i).style];
    if (look) { item.dashes = look.dashes; item.color = look.color; }
    if (DATA.tooltips) {
      var q = edgeQualifier(i);
      item.title = sentence(i) + (q ? " (" + q + ")" : "");
    }
    return item;
  }
  var edgeItems = new Array(edgeCount);
  for (var i = 0; i < edgeCount; i++) { edgeItems[i] = edgeItem(i); }
  function nodeItem(n) {
    var copy = Object.assign({}, n);
    if (DATA.tooltips) { copy.title = n.label + " (" + cats[nodeMeta[n.id].c].label + ")"; }
    return copy;
  }
  var nodes = new vis.DataSet(DATA.tooltips ? DATA.nodes.map(nodeItem) : DATA.nodes);
  var edges = new vis.DataSet(edgeItems);
  edgeItems = null;
  timings.datasets = performance.now() - t0;
  var container = document.getElementById("map");
  var options = DATA.options;
  /* the page handles the keyboard itself (zoom keys, selecting from the map) */
  options.interaction.keyboard = false;
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var frame = container.querySelector(".vis-network");
  if (frame) {
    frame.id = "map-frame";
    frame.setAttribute("tabindex", "0");
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-label", "Concept map. Arrow keys move it, + and - zoom, 0 fits it; " +
      "n and p select the next or previous concept, r its next relation; Escape clears.");
  }
  var statusEl = document.getElementById("status");
  var state = { hiddenCats: {}, focusSet: null, selected: null, selectedEdge: null, added: {} };
  timings.network = performance.now() - t0;
  var hooks = {};
  var api = { network: network, nodes: nodes, edges: edges, ready: false, data: DATA, state: state,
              timings: timings, edge: edge, labels: labels, sentence: sentence, el: el, clear: clear,
              qualifierText: qualifierText, edgeQualifier: edgeQualifier, LOOK: LOOK };
  api.on = function (name, fn) { (hooks[name] = hooks[name] || []).push(fn); };
  api.emit = function (name, arg) { (hooks[name] || []).forEach(function (fn) { fn(arg); }); };
  window.pathokgMap = api;

  /* On screen, a concept's label is at least this many pixels high at the opening view. */
  var MIN_SCALE = 0.75;
  api.MIN_SCALE = MIN_SCALE;
  var messageTimer = null;
  function say(text, keep) {
    statusEl.textContent = text;
    if (messageTimer) { clearTimeout(messageTimer); messageTimer = null; }
    if (text && !keep) { messageTimer = setTimeout(function () { statusEl.textContent = ""; }, 6000); }
  }
  api.say = say;

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

  function degree(i) { return network.getConnectedEdges(i).length; }
  function hub() {
    if (typeof DATA.centre === "number" && DATA.centre < drawnCount) { return DATA.centre; }
    var best = 0, most = -1;
    nodes.getIds().forEach(function (id) { var d = degree(id); if (d > most) { most = d; best = id; } });
    return best;
  }
  /* The opening view: the whole map if its labels are legible that way, else the centre of the
   * map (its hub) at the smallest legible scale. */
  function openingView() {
    network.fit({ animation: false });
    if (network.getScale() < MIN_SCALE && nodes.length) {
      network.moveTo({ position: network.getPosition(hub()), scale: MIN_SCALE, animation: false });
    }
  }
  api.openingView = openingView;
  /* The part of the map a drawer covers (px): on the right on a wide screen, at the bottom on a
   * small one. */
  function covered() {
    var out = { right: 0, bottom: 0, left: 0 };
    ["panel", "story", "quiz", "legend-drawer"].forEach(function (id) {
      var d = document.getElementById(id);
      if (d.hidden) { return; }
      var r = d.getBoundingClientRect(), m = container.getBoundingClientRect();
      if (r.width >= m.width * 0.95) { out.bottom = Math.max(out.bottom, m.bottom - r.top); }
      else if (r.left > m.left + 1) { out.right = Math.max(out.right, m.right - r.left); }
      else { out.left = Math.max(out.left, r.right - m.left); }
    });
    return out;
  }
  /* Fit these concepts into the part of the map no drawer covers, never below the legible scale. */
  function fitNodes(ids) {
    if (!ids.length) { return; }
    var c = covered(), m = container.getBoundingClientRect();
    var w = Math.max(m.width - c.right - c.left, m.width * 0.3), h = Math.max(m.height - c.bottom, m.height * 0.3);
    network.fit({ nodes: ids, animation: false });
    var scale = Math.max(MIN_SCALE, network.getScale() * Math.min(w / m.width, h / m.height));
    var xs = 0, ys = 0;
    ids.forEach(function (id) { var p = network.getPosition(id); xs += p.x; ys += p.y; });
    var box = ids.map(function (id) { return network.getBoundingBox(id); });
    var cx = (Math.min.apply(null, box.map(function (b) { return b.left; })) +
              Math.max.apply(null, box.map(function (b) { return b.right; }))) / 2;
    var cy = (Math.min.apply(null, box.map(function (b) { return b.top; })) +
              Math.max.apply(null, box.map(function (b) { return b.bottom; }))) / 2;
    if (network.getScale() * Math.min(w / m.width, h / m.height) < MIN_SCALE) { cx = xs / ids.length; cy = ys / ids.length; }
    /* the centre of the uncovered part, in map units */
    network.moveTo({ position: { x: cx + (c.right - c.left) / 2 / scale, y: cy + c.bottom / 2 / scale },
                     scale: scale, animation: false });
  }
  api.fitNodes = fitNodes;

  network.once("afterDrawing", function () {
    api.ready = true;
    api.firstDrawMs = performance.now() - t0;
    api.readyAt = performance.now();
    statusEl.textContent = "";
    if (DATA.deferArrows) { network.on("afterDrawing", syncArrows); }
    if (!api.emitReady()) { openingView(); }
    document.body.setAttribute("data-ready", "1");
  });
  /* true if a listener (the URL state) set the view itself */
  api.emitReady = function () {
    var handled = false;
    (hooks.ready || []).forEach(function (fn) { if (fn()) { handled = true; } });
    return handled;
  };

  /* ---- drawers: legend (left), details / story / quiz (right) ------------------------------- */
  var RIGHT = ["panel", "story", "quiz"];
  function narrow() { return window.innerWidth < 900; }
  function openDrawer(id) {
    var d = document.getElementById(id);
    /* one drawer on the right (opening one ends the mode of another); one in all on a small screen */
    var others = RIGHT.indexOf(id) >= 0 ? RIGHT.slice() : [];
    if (narrow()) { others = ["legend-drawer"].concat(RIGHT); }
    others.forEach(function (o) { if (o !== id && !document.getElementById(o).hidden) { closeDrawer(o); } });
    d.hidden = false;
    syncDrawers();
  }
  function closeDrawer(id) {
    document.getElementById(id).hidden = true;
    syncDrawers();
    api.emit("close", id);
  }
  function syncDrawers() {
    var left = !document.getElementById("legend-drawer").hidden;
    var right = RIGHT.some(function (o) { return !document.getElementById(o).hidden; });
    document.body.classList.toggle("has-left", left);
    document.body.classList.toggle("has-right", right);
    document.getElementById("legend-toggle").setAttribute("aria-expanded", left ? "true" : "false");
  }
  api.openDrawer = openDrawer; api.closeDrawer = closeDrawer;
  document.querySelectorAll("[data-close]").forEach(function (b) {
    b.addEventListener("click", function () { closeDrawer(b.getAttribute("data-close")); });
  });
  document.getElementById("legend-toggle").addEventListener("click", function () {
    var d = document.getElementById("legend-drawer");
    if (d.hidden) { openDrawer("legend-drawer"); } else { closeDrawer("legend-drawer"); }
  });

  /* ---- legend and category filters ---------------------------------------------------------- */
  var byCat = cats.map(function () { return []; });
  nodeMeta.forEach(function (m, i) { if (i < drawnCount) { byCat[m.c].push(i); } });
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
  api.swatch = swatch;
  function legendRow(cat, ci) {
    var li = el("li", { "data-category": cat.key });
    var id = "cat-" + ci;
    var box = el("input", { type: "checkbox", id: id, "data-category": cat.key });
    box.checked = !state.hiddenCats[ci];
    var label = el("label", { "for": id });
    if (cat.definition) { label.setAttribute("title", cat.definition); }
    label.appendChild(swatch(cat));
    label.appendChild(el("span", { "class": "cat-name" }, cat.label));
    label.appendChild(el("span", { "class": "cat-count" }, byCat[ci].length));
    li.appendChild(box); li.appendChild(label);
    box.addEventListener("change", function () {
      if (box.checked) { delete state.hiddenCats[ci]; } else { state.hiddenCats[ci] = true; }
      applyVisibility();
    });
    return li;
  }
  function drawLegend() {
    clear(legend);
    cats.forEach(function (cat, ci) { if (byCat[ci].length) { legend.appendChild(legendRow(cat, ci)); } });
  }
  drawLegend();
  (function edgeLegend() {
    var ul = document.getElementById("edge-legend");
    var present = { stated: false };
    for (var k = 0; k < edgeCount; k++) { present[edge(k).style] = true; }
    ["stated", "inferred", "hedged", "conditional", "investigational", "hpo", "mapping"].forEach(function (key) {
      if (!present[key] && key !== "stated") { return; }
      var look = LOOK[key] || { dashes: [], color: { color: "#5b5b5b" } };
      var svg = document.createElementNS(SVGNS, "svg");
      svg.setAttribute("width", "46"); svg.setAttribute("height", "12"); svg.setAttribute("aria-hidden", "true");
      var line = document.createElementNS(SVGNS, "line");
      [["x1", 2], ["y1", 6], ["x2", 36], ["y2", 6], ["stroke", look.color.color], ["stroke-width", 2.5]]
        .forEach(function (a) { line.setAttribute(a[0], a[1]); });
      if (look.dashes.length) { line.setAttribute("stroke-dasharray", look.dashes.join(" ")); }
      var head = document.createElementNS(SVGNS, "path");
      head.setAttribute("d", "M36 1 L45 6 L36 11 Z"); head.setAttribute("fill", look.color.color);
      svg.appendChild(line); svg.appendChild(head);
      var li = el("li", { "data-style": key });
      li.appendChild(svg);
      li.appendChild(document.createTextNode(" " + (DATA.styleText[key] || key) +
        (key === "stated" ? " (click it for the quote)" : "")));
      ul.appendChild(li);
    });
  })();
  function setAll(on) {
    cats.forEach(function (c, ci) { if (on) { delete state.hiddenCats[ci]; } else { state.hiddenCats[ci] = true; } });
    legend.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = on; });
    applyVisibility();
  }
  document.getElementById("all-on").addEventListener("click", function () { setAll(true); });
  document.getElementById("all-off").addEventListener("click", function () { setAll(false); });

  function isHidden(i) {
    return !!state.hiddenCats[nodeMeta[i].c] || (state.focusSet !== null && !state.focusSet.has(i));
  }
  api.isHidden = isHidden;
  function applyVisibility() {
    var updates = [];
    nodes.get({ fields: ["id", "hidden"] }).forEach(function (n) {
      var h = isHidden(n.id);
      if (!!n.hidden !== h) { updates.push({ id: n.id, hidden: h }); }
    });
    if (updates.length) { nodes.update(updates); }
    var total = nodes.length;
    var shown = total - nodes.get({ filter: function (n) { return n.hidden; } }).length;
    document.getElementById("counts").textContent = shown + " of " + total + " concepts shown · " +
      edges.length + " relations";
    api.emit("change");
  }
  api.applyVisibility = applyVisibility;
  api.setCategoryHidden = function (ci, hidden) {
    if (hidden) { state.hiddenCats[ci] = true; } else { delete state.hiddenCats[ci]; }
    var box = document.getElementById("cat-" + ci); if (box) { box.checked = !hidden; }
  };

  /* ---- detail panel ------------------------------------------------------------------------- */
  var body = document.getElementById("panel-body");
  var HINT = body.firstChild.cloneNode(true);
  function clearPanel() { clear(body); body.appendChild(HINT.cloneNode(true)); }
  function quoteFigure(k) {
    var ev = evidence[k];
    var fig = el("figure", { "class": "quote quote-" + ev.style, "data-evidence": ev.anchor });
    var q = qualifierText(k);
    if (q) { fig.appendChild(el("p", { "class": "qualifier" }, "The article says it with a qualifier: " + q)); }
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
    if (typeof DATA.reader === "string") {
      cap.appendChild(document.createTextNode(" · "));
      cap.appendChild(el("a", { href: DATA.reader + "#" + ev.anchor, "class": "to-reader" }, "Read it in the article"));
    }
    fig.appendChild(cap);
    return fig;
  }
  api.quoteFigure = quoteFigure;
  var annotationsOf = {};
  (DATA.annotations || []).forEach(function (row) { annotationsOf[row[0]] = row[1]; });
  /* HPO's own evidence for an HPO edge: never shown as a quote of the article. */
  function hpoEvidence(i, box) {
    var meta = edge(i);
    if (meta.style === "mapping") {
      box.appendChild(el("p", { "class": "mapping-note" },
        "pathokg's curated mapping to the Human Phenotype Ontology (a verified cross-reference): not a statement of the article."));
      return;
    }
    var from = nodeMeta[meta.from].src || nodeMeta[meta.to].src || "HPO";
    var list = annotationsOf[i] || [];
    box.appendChild(el("p", { "class": "hpo-note" }, list.length ?
      "HPO's annotations (" + from + ", phenotype.hpoa): not statements of the article." :
      "HPO's subclass axiom (" + from + "): not a statement of the article."));
    if (!list.length) { return; }
    var ul = el("ul", { "class": "hpo-annotations" });
    list.forEach(function (a) {
      var parts = [a.label + " (" + a.id + ")"];
      if (a.evidence) { parts.push("evidence " + a.evidence); }
      if (a.references.length) { parts.push("reference " + a.references.join(", ")); }
      if (a.frequency) { parts.push("frequency " + a.frequency); }
      if (a.onset) { parts.push("onset " + a.onset); }
      ul.appendChild(el("li", { "class": "hpo-annotation" }, parts.join(" · ")));
    });
    box.appendChild(ul);
  }
  function evidenceList(i) {
    var meta = edge(i);
    var box = el("div", { "class": "evidence" });
    if (meta.style === "hpo" || meta.style === "mapping") { hpoEvidence(i, box); return box; }
    if (meta.inferred) {
      box.appendChild(el("p", { "class": "inferred-note" },
        "Inferred by reasoning from the ontology: no passage of the article states it directly."));
    }
    meta.evidence.forEach(function (k) { box.appendChild(quoteFigure(k)); });
    if (!meta.inferred && meta.evidence.length === 0) {
      box.appendChild(el("p", { "class": "hint" }, "No evidence recorded for this relation."));
    }
    return box;
  }
  function relationItem(i, from) {
    var li = el("li", { "class": "relation" });
    var e = edge(i);
    var h = el("p", { "class": "sentence" });
    function link(n) {
      var b = el("button", { type: "button", "class": "link" }, labels[n]);
      b.addEventListener("click", function () { selectNode(n, true); });
      return b;
    }
    h.appendChild(e.from === from ? el("strong", null, labels[e.from]) : link(e.from));
    h.appendChild(el("span", { "class": "predicate" }, " \u2014 " + rels[e.rel].label + " \u2192 "));
    h.appendChild(e.to === from ? el("strong", null, labels[e.to]) : link(e.to));
    if (e.inferred) { h.appendChild(el("span", { "class": "badge" }, "inferred")); }
    else if (e.style !== "stated") { h.appendChild(el("span", { "class": "badge badge-" + e.style }, e.style)); }
    if (from !== -1) {
      var go = el("button", { type: "button", "class": "link small" }, "select");
      go.setAttribute("aria-label", "Select the relation " + sentence(i));
      go.addEventListener("click", function () { selectEdge(i); });
      h.appendChild(document.createTextNode(" ")); h.appendChild(go);
    }
    li.appendChild(h);
    li.appendChild(evidenceList(i));
    return li;
  }
  api.relationItem = relationItem;
  function showNode(i) {
    var m = nodeMeta[i], cat = cats[m.c];
    clear(body);
    body.appendChild(el("h2", { id: "panel-title" }, labels[i]));
    var c = el("p", { "class": "category" });
    c.appendChild(swatch(cat)); c.appendChild(el("span", null, cat.label));
    body.appendChild(c);
    if (m.src) { body.appendChild(el("p", { "class": "from-source" }, "From " + m.src + " (the Human Phenotype Ontology), unaltered: not pathokg's or the article's.")); }
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
  function reveal(i) {
    if (!nodes.get(i)) { addToView(i); }
    if (isHidden(i)) {
      var c = nodeMeta[i].c;
      if (state.hiddenCats[c]) { api.setCategoryHidden(c, false); }
      if (state.focusSet !== null) { state.focusSet = null; }
      applyVisibility();
    }
  }
  function selectNode(i, focus) {
    reveal(i);
    state.selected = i; state.selectedEdge = null; state.edgeOwner = null; cursor = -1;
    network.selectNodes([i], true);
    document.getElementById("focus").disabled = false;
    showNode(i);
    openDrawer("panel");
    if (focus) {
      var c = covered(), scale = Math.max(network.getScale(), MIN_SCALE + 0.15), p = network.getPosition(i);
      network.moveTo({ position: { x: p.x + (c.right - c.left) / 2 / scale, y: p.y + c.bottom / 2 / scale },
                       scale: scale, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
    api.emit("select");
  }
  api.selectNode = selectNode;
  function selectEdge(i, focus) {
    var e = edge(i);
    [e.from, e.to].forEach(reveal);
    state.selected = null; state.selectedEdge = i;
    network.selectEdges([i]);
    document.getElementById("focus").disabled = true;
    showEdge(i);
    openDrawer("panel");
    if (focus) { fitNodes([e.from, e.to]); }
    api.emit("select");
  }
  api.selectEdge = selectEdge;
  function clearSelection() {
    state.selected = null; state.selectedEdge = null; cursor = -1;
    network.unselectAll();
    document.getElementById("focus").disabled = true;
    clearPanel();
    closeDrawer("panel");
    api.emit("select");
  }
  api.clearSelection = clearSelection;
  /* A passage of the article (from the reader page): the relations it states. */
  function showPassage(anchor) {
    var found = [];
    for (var k = 0; k < edgeTotal; k++) {
      if (edge(k).evidence.some(function (j) { return evidence[j].anchor === anchor; })) { found.push(k); }
    }
    if (!found.length) { say("No relation of this map cites that passage.", false); return false; }
    selectEdge(found[0], true);
    if (found.length > 1) {
      var more = el("div", { "class": "passage-more" });
      more.appendChild(el("h3", null, "The same passage also states"));
      var ul = el("ul", { "class": "relations" });
      found.slice(1).forEach(function (k) { ul.appendChild(relationItem(k, -2)); });
      more.appendChild(ul);
      body.appendChild(more);
    }
    return true;
  }
  api.showPassage = showPassage;
  network.on("click", function (params) {
    if (params.nodes.length) { selectNode(params.nodes[0], false); }
    else if (params.edges.length) { selectEdge(params.edges[0], false); }
  });

  /* ---- the rest of the graph: adding a concept found by the search -------------------------- */
  function addToView(i) {
    if (nodes.get(i) || i >= nodeMeta.length) { return; }
    var near = [], links = [];
    for (var k = edgeCount; k < edgeTotal; k++) {
      var f = E[3 * k], t = E[3 * k + 1];
      if (f === i || t === i) {
        var other = f === i ? t : f;
        if (other === i || nodes.get(other)) { links.push(k); if (other !== i) { near.push(other); } }
      }
    }
    var x = 0, y = 0;
    if (near.length) {
      near.forEach(function (n) { var p = network.getPosition(n); x += p.x; y += p.y; });
      x = x / near.length + 160; y = y / near.length - 120;
    } else {
      var view = network.getViewPosition(); x = view.x; y = view.y;
    }
    var added = Object.keys(state.added).length;
    x += (added % 3) * 60; y += (added % 3) * 50;
    nodes.add(nodeItem({ id: i, label: labels[i], group: "c" + nodeMeta[i].c, x: x, y: y }));
    edges.add(links.map(edgeItem));
    state.added[i] = true;
    byCat[nodeMeta[i].c].push(i);
    drawLegend();
    applyVisibility();
    say("Added " + labels[i] + " to this view, with its " + links.length + " relation" +
        (links.length === 1 ? "" : "s") + " to concepts drawn here.", false);
  }
  api.addToView = addToView;

  /* ---- search over every concept: labels and synonyms, tolerant of spelling ---------------- */
  /* "x-ray", "X ray" and "xray" are one name: case, accents, spaces, hyphens and punctuation
   * do not count. */
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "");
  }
  function words(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/[^a-z0-9]+/).filter(Boolean);
  }
  var index = null;  /* built on the first search, not before the first drawing */
  function buildIndex() {
    index = [];
    labels.forEach(function (l, i) {
      index.push([fold(l), words(l), i, 0, l]);
      nodeMeta[i].s.forEach(function (s) { index.push([fold(s), words(s), i, 1, s]); });
    });
  }
  function search(q) {
    var f = fold(q), w = words(q);
    if (!f) { return []; }
    if (index === null) { buildIndex(); }
    var scored = [];
    index.forEach(function (entry) {
      var name = entry[0], score = -1;
      if (name === f) { score = 0; }
      else if (name.indexOf(f) === 0) { score = 1; }
      else if (w.length && w.every(function (x) { return entry[1].some(function (y) { return y.indexOf(x) === 0; }); })) { score = 2; }
      else if (name.indexOf(f) >= 0) { score = 3; }
      if (score >= 0) { scored.push([score * 2 + entry[3], name.length, entry[2] >= drawnCount && !nodes.get(entry[2]) ? 1 : 0, entry[2], entry[4]]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[2] - b[2] || a[1] - b[1] || a[3] - b[3]; });
    var seen = {}, out = [];
    scored.forEach(function (s) { if (!seen[s[3]]) { seen[s[3]] = true; out.push(s[3]); } });
    api.lastMatches = scored;
    return out;
  }
  api.search = search;
  api.fold = fold;
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  function inView(i) { return !!nodes.get(i); }
  function showResults(found) {
    clear(results);
    var q = fold(input.value);
    found.slice(0, 12).forEach(function (i) {
      var li = el("li", { role: "option" });
      var b = el("button", { type: "button", "class": "result" });
      b.appendChild(el("span", null, labels[i]));
      var syn = nodeMeta[i].s.filter(function (s) { return fold(s).indexOf(q) >= 0; })[0];
      if (syn && fold(labels[i]).indexOf(q) < 0) { b.appendChild(el("small", null, " (" + syn + ")")); }
      b.appendChild(el("small", { "class": "cat" }, " " + cats[nodeMeta[i].c].label));
      if (!inView(i)) { b.appendChild(el("small", { "class": "elsewhere" }, " \u2014 not in this view: adds it")); }
      b.addEventListener("click", function () { selectNode(i, true); results.hidden = true; });
      li.appendChild(b); results.appendChild(li);
    });
    results.hidden = found.length === 0;
  }
  var clearButton = document.getElementById("search-clear");
  input.addEventListener("input", function () {
    clearButton.hidden = input.value === "";
    say("", false);
    var found = search(input.value);
    showResults(found);
    if (input.value.trim() && !found.length) { say("No concept matches \u201c" + input.value.trim() + "\u201d.", true); }
  });
  clearButton.addEventListener("click", function () {
    input.value = ""; clearButton.hidden = true; results.hidden = true; say("", false); input.focus();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = search(input.value);
      if (found.length) { selectNode(found[0], true); results.hidden = true; say("", false); }
      else if (input.value.trim()) { say("No concept matches \u201c" + input.value.trim() + "\u201d.", false); }
      ev.preventDefault();
    } else if (ev.key === "ArrowDown") {
      var first = results.querySelector("button"); if (first) { first.focus(); ev.preventDefault(); }
    } else if (ev.key === "Escape") {
      if (results.hidden) { input.value = ""; clearButton.hidden = true; say("", false); } else { results.hidden = true; }
      ev.stopPropagation();
    }
  });
  results.addEventListener("keydown", function (ev) {
    var items = Array.prototype.slice.call(results.querySelectorAll("button"));
    var k = items.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && k < items.length - 1) { items[k + 1].focus(); ev.preventDefault(); }
    if (ev.key === "ArrowUp") { (k > 0 ? items[k - 1] : input).focus(); ev.preventDefault(); }
    if (ev.key === "Escape") { results.hidden = true; input.focus(); ev.stopPropagation(); }
  });

  /* ---- neighbourhood focus, reset, fit ------------------------------------------------------ */
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
    state.focusOf = [i, depth];
    applyVisibility();
    fitNodes(Array.from(state.focusSet));
  }
  api.focusOn = focusOn;
  document.getElementById("focus").addEventListener("click", function () {
    if (state.selected !== null) { focusOn(state.selected, parseInt(document.getElementById("depth").value, 10)); }
  });
  function reset() {
    state.focusSet = null; state.focusOf = null; state.hiddenCats = {};
    legend.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = true; });
    applyVisibility();
    api.emit("reset");
    clearSelection();
    network.fit({ animation: { duration: 300 } });
  }
  api.reset = reset;
  document.getElementById("reset").addEventListener("click", reset);
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  /* ---- saving the whole map: SVG, PNG at twice its size, print (one page, or PDF) ---------- */
  var stem = "pathokg-" + (DATA.view || "concept") + "-map";
  api.fileStem = stem;
  function download(href, name) {
    var a = el("a", { href: href, download: name });
    document.body.appendChild(a); a.click(); document.body.removeChild(a);
  }
  var svgUrl = null;
  function svgBlobUrl() {
    if (svgUrl === null && DATA.svg) { svgUrl = URL.createObjectURL(new Blob([DATA.svg], { type: "image/svg+xml" })); }
    return svgUrl;
  }
  function exportSvg() {
    if (!DATA.svg) { say("This map is too large for a picture of the whole; PNG saves the view.", false); return 0; }
    download(svgBlobUrl(), stem + ".svg");
    return DATA.svg.length;
  }
  api.exportSvg = exportSvg;
  /* PNG of the whole map (from its SVG) at twice its size; a map too large for the SVG saves the
   * view on screen instead. Resolves to [width, height] of the picture. */
  function exportPng(noDownload) {
    return new Promise(function (resolve, reject) {
      if (!DATA.svg) {
        var src = container.querySelector("canvas");
        var out = document.createElement("canvas");
        out.width = src.width; out.height = src.height;
        var ctx0 = out.getContext("2d");
        ctx0.fillStyle = "#ffffff"; ctx0.fillRect(0, 0, out.width, out.height);
        ctx0.drawImage(src, 0, 0);
        if (!noDownload) { download(out.toDataURL("image/png"), stem + "-view.png"); }
        resolve([out.width, out.height]);
        return;
      }
      var img = new Image();
      img.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth * 2; canvas.height = img.naturalHeight * 2;
        var ctx = canvas.getContext("2d");
        ctx.scale(2, 2); ctx.drawImage(img, 0, 0);
        canvas.toBlob(function (blob) {
          if (!noDownload) { download(URL.createObjectURL(blob), stem + ".png"); }
          resolve([canvas.width, canvas.height, blob.size]);
        }, "image/png");
      };
      img.onerror = function () { reject(new Error("the map's SVG did not load")); };
      img.src = svgBlobUrl();
    });
  }
  api.exportPng = exportPng;
  (function printSheet() {
    if (!DATA.svg) { return; }
    var img = el("img", { alt: "The whole concept map, with its legend and source", src: svgBlobUrl() });
    document.getElementById("print-sheet").appendChild(img);
    document.body.classList.add("printable");
  })();
  document.getElementById("export-svg").addEventListener("click", exportSvg);
  document.getElementById("export").addEventListener("click", function () { exportPng(false); });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  if (DATA.views && DATA.views.length) {
    var views = document.getElementById("views");
    views.hidden = false;
    views.appendChild(el("span", { "class": "menu-title" }, "Views"));
    DATA.views.forEach(function (v) { views.appendChild(el("a", { href: v[1] }, v[0])); });
  }

  /* ---- keyboard ----------------------------------------------------------------------------- */
  var cursor = -1;
  function visibleByLabel() {
    return nodes.getIds().filter(function (id) { return !isHidden(id); })
      .sort(function (a, b) { return labels[a].localeCompare(labels[b]) || a - b; });
  }
  function zoomBy(f) {
    network.moveTo({ scale: Math.min(4, Math.max(0.05, network.getScale() * f)), animation: { duration: 150 } });
  }
  api.zoomBy = zoomBy;
  function onMapKey(ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var k = ev.key, step = 80 / network.getScale(), pos = network.getViewPosition();
    if (k === "+" || k === "=") { zoomBy(1.25); }
    else if (k === "-" || k === "_") { zoomBy(0.8); }
    else if (k === "0") { network.fit({ animation: { duration: 200 } }); }
    else if (k === "ArrowLeft") { network.moveTo({ position: { x: pos.x - step, y: pos.y } }); }
    else if (k === "ArrowRight") { network.moveTo({ position: { x: pos.x + step, y: pos.y } }); }
    else if (k === "ArrowUp") { network.moveTo({ position: { x: pos.x, y: pos.y - step } }); }
    else if (k === "ArrowDown") { network.moveTo({ position: { x: pos.x, y: pos.y + step } }); }
    else if (k === "n" || k === "p" || k === "N" || k === "P") {
      var order = visibleByLabel();
      if (!order.length) { return; }
      var at = order.indexOf(state.selected);
      var next = (k === "n" || k === "N") ? (at + 1) % order.length : (at <= 0 ? order.length - 1 : at - 1);
      selectNode(order[next], true);
      say("Selected " + labels[order[next]] + " (" + (next + 1) + " of " + order.length + ")", false);
    } else if (k === "r" || k === "R") {
      var owner = state.selected !== null ? state.selected : (state.edgeOwner !== undefined && state.edgeOwner !== null
        ? state.edgeOwner : (state.selectedEdge !== null ? edge(state.selectedEdge).from : null));
      if (owner === null) { say("Select a concept first (n or p), then r walks its relations.", false); return; }
      var mine = network.getConnectedEdges(owner).slice().sort(function (a, b) { return a - b; });
      if (!mine.length) { return; }
      cursor = (cursor + (k === "r" ? 1 : mine.length - 1)) % mine.length;
      var keep = owner;
      selectEdge(mine[cursor], false);
      state.selected = null; state.edgeOwner = keep;
      say("Selected " + sentence(mine[cursor]) + " (" + (cursor + 1) + " of " + mine.length + ")", false);
    } else if (k === "Enter") { document.getElementById("panel").focus(); }
    else { return; }
    ev.preventDefault();
  }
  if (frame) { frame.addEventListener("keydown", onMapKey); }
  document.addEventListener("keydown", function (ev) {
    var typing = document.activeElement === input;
    if (ev.key === "Escape" && !typing) { api.emit("escape"); clearSelection(); }
    if (ev.key === "/" && !typing) { input.focus(); ev.preventDefault(); }
  });
})();
