/* Relation labels and sector headings, drawn by the page over the map (vis-network's own edge
 * labels are off: nodes drawn after them cut them, and the line runs through them).
 *
 * A relation's label is drawn where the visible part of its arrow has room for it (at the middle,
 * or 40/60 % or 30/70 % of the way), never over a concept and never over another label, with a
 * white halo; at least 12 px high on screen at any zoom (so at low zoom, fewer labels fit and the
 * rest appear as you zoom in). The selected relation, the relations of the selected or hovered
 * concept and the hovered relation come first and are always drawn, on a white box above
 * everything. api.edgeLabelBoxes() lists what was drawn, in screen pixels (for the tests). */
(function () {
  "use strict";
  var api = window.pathokgMap, network = api.network, DATA = api.data, E = DATA.edges;
  var MIN_PX = 12, BASE_SIZE = 13, HEADING_PX = 16, HEADING_SIZE = 30;
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  var hover = { node: null, edge: null };
  var drawn = [];
  api.hover = hover;
  network.on("hoverEdge", function (p) { hover.edge = p.edge; network.redraw(); });
  network.on("blurEdge", function () { hover.edge = null; network.redraw(); });
  network.on("hoverNode", function (p) { hover.node = p.node; network.redraw(); });
  network.on("blurNode", function () { hover.node = null; network.redraw(); });

  function overlap(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
  /* The part of segment p->q outside both boxes, as [t0, t1] of the segment (Liang-Barsky). */
  function outside(p, q, box, fromStart) {
    var dx = q.x - p.x, dy = q.y - p.y, t0 = 0, t1 = 1;
    var ps = [-dx, dx, -dy, dy], qs = [p.x - box[0], box[2] - p.x, p.y - box[1], box[3] - p.y];
    for (var k = 0; k < 4; k++) {
      if (ps[k] === 0) { if (qs[k] < 0) { return fromStart ? 0 : 1; } continue; }
      var r = qs[k] / ps[k];
      if (ps[k] < 0) { t0 = Math.max(t0, r); } else { t1 = Math.min(t1, r); }
    }
    if (t0 > t1) { return fromStart ? 0 : 1; }
    return fromStart ? t1 : t0;  /* where the segment leaves the start box / enters the end box */
  }
  function boxOf(id) {
    var b = network.getBoundingBox(id);
    return [b.left, b.top, b.right, b.bottom];
  }
  function priorityEdges() {
    var st = api.state, out = [];
    function add(list) { list.forEach(function (k) { if (out.indexOf(k) < 0) { out.push(k); } }); }
    if (st.quizEdge !== undefined && st.quizEdge !== null) { add([st.quizEdge]); }
    if (st.selectedEdge !== null) { add([st.selectedEdge]); }
    if (st.selected !== null && api.nodes.get(st.selected)) { add(network.getConnectedEdges(st.selected)); }
    if (hover.edge !== null) { add([hover.edge]); }
    if (hover.node !== null && api.nodes.get(hover.node)) { add(network.getConnectedEdges(hover.node)); }
    return out;
  }
  function text(k) {
    var st = api.state;
    if (st.quizEdge === k && st.quizHide === "p") { return "?"; }
    return DATA.relations[E[3 * k + 2]].label;
  }
  function draw(ctx) {
    drawn = [];
    var scale = network.getScale();
    var size = Math.max(BASE_SIZE, MIN_PX / scale);
    var first = priorityEdges();
    var order = first.slice();
    if (DATA.edgeLabels) {
      api.edges.getIds().forEach(function (k) { if (first.indexOf(k) < 0) { order.push(k); } });
    }
    if (!order.length) { return; }
    var hidden = {};
    api.nodes.get({ filter: function (n) { return n.hidden; }, fields: ["id"] }).forEach(function (n) { hidden[n.id] = true; });
    /* every concept is an obstacle on small maps; on large ones only the forced labels are drawn */
    var boxes = {}, obstacles = [];
    if (DATA.edgeLabels) {
      api.nodes.getIds().forEach(function (id) { if (!hidden[id]) { boxes[id] = boxOf(id); obstacles.push(boxes[id]); } });
    } else {
      first.forEach(function (k) { [E[3 * k], E[3 * k + 1]].forEach(function (id) { if (!hidden[id]) { boxes[id] = boxOf(id); } }); });
    }
    var taken = [];
    ctx.save();
    ctx.font = size + "px " + FONT;
    ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.lineJoin = "round";
    order.forEach(function (k) {
      var f = E[3 * k], t = E[3 * k + 1];
      if (hidden[f] || hidden[t] || !boxes[f] || !boxes[t] || f === t) { return; }
      var forced = first.indexOf(k) >= 0;
      if (!forced && api.state.modeEdges && !api.state.modeEdges[k]) { return; }  /* dimmed by a mode */
      var p = network.getPosition(f), q = network.getPosition(t);
      var a = outside(p, q, boxes[f], true), b = outside(p, q, boxes[t], false);
      var label = text(k), w = ctx.measureText(label).width + size * 0.6, h = size * 1.3;
      var len = Math.hypot(q.x - p.x, q.y - p.y) * (b - a);
      var spots = [0.5, 0.4, 0.6, 0.3, 0.7], place = null;
      for (var s = 0; s < spots.length && place === null; s++) {
        var u = a + (b - a) * spots[s];
        var cx = p.x + (q.x - p.x) * u, cy = p.y + (q.y - p.y) * u;
        var box = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
        if (taken.some(function (o) { return overlap(box, o); })) { continue; }
        if (!forced && (len < w * 0.8 || obstacles.some(function (o) { return overlap(box, o); }))) { continue; }
        place = [cx, cy, box];
      }
      if (place === null && forced) {  /* always shown: on top, even if it covers a concept */
        var cx2 = p.x + (q.x - p.x) * (a + b) / 2, cy2 = p.y + (q.y - p.y) * (a + b) / 2;
        place = [cx2, cy2, [cx2 - w / 2, cy2 - h / 2, cx2 + w / 2, cy2 + h / 2]];
      }
      if (place === null) { return; }
      taken.push(place[2]);
      if (forced) {
        ctx.fillStyle = "rgba(255,255,255,0.94)"; ctx.strokeStyle = "#111111"; ctx.lineWidth = Math.max(1, 1 / scale);
        ctx.beginPath(); ctx.rect(place[2][0], place[2][1], w, h); ctx.fill(); ctx.stroke();
      }
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = size * 0.35;
      ctx.strokeText(label, place[0], place[1]);
      ctx.fillStyle = forced ? "#000000" : "#333333";
      ctx.fillText(label, place[0], place[1]);
      var tl = network.canvasToDOM({ x: place[2][0], y: place[2][1] });
      var br = network.canvasToDOM({ x: place[2][2], y: place[2][3] });
      drawn.push({ edge: k, text: label, forced: forced, left: tl.x, top: tl.y, right: br.x, bottom: br.y,
                   px: size * scale });
    });
    ctx.restore();
  }
  function headings(ctx) {
    if (!DATA.headings || !DATA.headings.length) { return; }
    var scale = network.getScale(), size = Math.max(HEADING_SIZE, HEADING_PX / scale);
    ctx.save();
    ctx.font = "700 " + size + "px " + FONT;
    ctx.textAlign = "center"; ctx.textBaseline = "alphabetic"; ctx.lineJoin = "round";
    DATA.headings.forEach(function (h) {
      var active = api.state.storyStep === h.step;
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = size * 0.3;
      ctx.strokeText(h.text, h.x, h.y);
      ctx.fillStyle = active ? "#1f5fa8" : "#3d3d3d";
      ctx.fillText(h.text, h.x, h.y);
    });
    ctx.restore();
  }
  network.on("beforeDrawing", headings);
  network.on("afterDrawing", draw);
  api.edgeLabelBoxes = function () { return drawn.slice(); };
})();
