/* pathokg query page: completions from the served graph (/query/terms.json: prefixes, pathokg's
 * classes and properties, concept labels that insert the concept's IRI), result IRIs linking to
 * the local concept pages, and a Graph view that draws CONSTRUCT results and rows with concept
 * IRIs with vis-network (vendored) in the concept map's colours and shapes. Nothing is fetched
 * from another host; data is inserted as text, never as HTML. */
(function () {
  "use strict";
  var Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;
  var PK = "https://w3id.org/pathokg/concept/";
  var TERMS = { prefixes: {}, classes: [], properties: [], concepts: [], styles: {} };
  var byIri = {};
  var ready = fetch("/query/terms.json").then(function (r) { return r.json(); }).then(function (data) {
    TERMS = data;
    data.concepts.forEach(function (c) { byIri[c.iri] = c; });
    return data;
  });
  window.pathokgTerms = ready;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pageOf(iri) { return iri.indexOf(PK) === 0 ? "/concept/" + iri.slice(PK.length) : iri; }
  function shortIri(iri) {
    for (var name in TERMS.prefixes) {
      var base = TERMS.prefixes[name];
      if (iri.indexOf(base) === 0 && /^[A-Za-z0-9_][\w.-]*$/.test(iri.slice(base.length))) {
        return name + ":" + iri.slice(base.length);
      }
    }
    return "<" + iri + ">";
  }
  function word(token) { return (token && token.string || "").trim(); }
  function matches(entry, text) {
    text = text.toLowerCase();
    if (entry.curie.toLowerCase().indexOf(text) === 0) return true;
    if (text.indexOf(":") >= 0) return false;
    return [entry.label].concat(entry.synonyms || []).some(function (name) {
      return (name || "").toLowerCase().indexOf(text) >= 0;
    });
  }
  function withLabels(list) {
    return function (yasqe, hints) {
      return hints.map(function (hint) {
        var entry = list().find(function (e) { return e.curie === hint.text || "<" + e.iri + ">" === hint.text; });
        if (entry) hint.displayText = hint.text + "  " + entry.label;
        return hint;
      });
    };
  }
  function termCompleter(name, list, position) {
    return {
      name: name, bulk: false, autoShow: true, persistenceId: null,
      isValidCompletionPosition: position,
      get: function (yasqe, token) {
        var text = word(token);
        return ready.then(function () {
          return list().filter(function (e) { return matches(e, text); }).slice(0, 50)
            .map(function (e) { return e.curie; });
        });
      },
      postprocessHints: withLabels(list),
    };
  }
  var notVariable = function (yasqe) {
    var t = yasqe.getCompleteToken();
    return t.string.length > 0 && t.string[0] !== "?" && t.string[0] !== "$";
  };
  // the prefixes the endpoint predeclares, after PREFIX (the default completer asks prefix.cc)
  Yasqe.forkAutocompleter("prefixes", {
    name: "pathokg-prefixes", persistenceId: null,
    get: function () {
      return ready.then(function (data) {
        return Object.keys(data.prefixes).sort().map(function (n) { return n + ": <" + data.prefixes[n] + ">"; });
      });
    },
  }, false);
  Yasqe.registerAutocompleter(termCompleter("pathokg-properties", function () { return TERMS.properties; },
    function (yasqe) {
      return notVariable(yasqe) && yasqe.getCompleteToken().state.possibleCurrent.indexOf("a") >= 0;
    }), false);
  Yasqe.registerAutocompleter(termCompleter("pathokg-classes", function () { return TERMS.classes; },
    function (yasqe) {
      if (!notVariable(yasqe)) return false;
      var cur = yasqe.getDoc().getCursor();
      var prev = yasqe.getPreviousNonWsToken(cur.line, yasqe.getCompleteToken());
      return !!prev && (prev.state.lastProperty === "a" || prev.state.lastProperty === "rdf:type");
    }), false);
  // a concept by any of its names, anywhere a term goes except the predicate: inserts its IRI
  Yasqe.registerAutocompleter({
    name: "pathokg-concepts", bulk: false, autoShow: true, persistenceId: null,
    isValidCompletionPosition: function (yasqe) {
      if (!notVariable(yasqe)) return false;
      var t = yasqe.getCompleteToken();
      if (word(t).length < 3 || t.state.possibleCurrent.indexOf("a") >= 0) return false;
      var prev = yasqe.getPreviousNonWsToken(yasqe.getDoc().getCursor().line, t);
      return !(prev && /^(PREFIX|BASE)$/i.test(prev.string)) && word(t).indexOf(":") < 0;
    },
    get: function (yasqe, token) {
      var text = word(token);
      return ready.then(function () {
        return TERMS.concepts.filter(function (c) { return matches(c, text); }).slice(0, 50)
          .map(function (c) { return "<" + c.iri + ">"; });
      });
    },
    postprocessHints: withLabels(function () { return TERMS.concepts; }),
  }, false);
  Yasqe.defaults.autocompleters = ["variables", "pathokg-prefixes", "pathokg-properties",
                                   "pathokg-classes", "pathokg-concepts"];

  // result IRIs: a pathokg concept links to its local page, with its label beside the CURIE
  var Table = Yasr.plugins.table;
  if (Table) {
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      var iri = binding.value, shown = iri, known = false;
      for (var name in (prefixes || {})) {
        if (iri.indexOf(prefixes[name]) === 0) { shown = name + ":" + iri.slice(prefixes[name].length); known = true; break; }
      }
      var concept = byIri[iri];
      var text = (known ? "" : "<") + shown + (known ? "" : ">");
      return "<a class='iri' href='" + escapeHtml(pageOf(iri)) + "'>" + escapeHtml(text) + "</a>" +
        (concept ? " <span class='iri-label'>" + escapeHtml(concept.label) + "</span>" : "");
    };
  }

  // the Graph view
  function graphOf(results) {
    var nodes = {}, edges = [];
    function node(term) {
      if (!term || (term.type !== "uri" && term.termType !== "NamedNode")) return null;
      var iri = term.value;
      if (!nodes[iri]) {
        var c = byIri[iri], st = c && TERMS.styles[c.category];
        nodes[iri] = { id: iri, label: c ? c.label : shortIri(iri), title: iri, shape: st ? st.shape : "box",
          shapeProperties: { borderDashes: st && st.dashed ? [4, 3] : false },
          color: st ? { background: st.color, border: st.border } : { background: "#eee", border: "#999" },
          concept: !!c };
      }
      return nodes[iri];
    }
    var statements = results.getStatements && results.getStatements();
    if (statements && statements.length) {
      statements.forEach(function (s) {
        var a = node(s.subject), b = node(s.object);
        if (a && b) edges.push({ from: a.id, to: b.id, label: shortIri(s.predicate.value), arrows: "to" });
      });
    } else {
      var vars = results.getVariables() || [];
      (results.getBindings() || []).forEach(function (row) {
        var found = vars.map(function (v) { return row[v]; })
          .filter(function (t) { return t && t.type === "uri" && byIri[t.value]; }).map(node);
        var relation = row.relation || row.predicate || row.p;
        for (var i = 1; i < found.length; i++) {
          edges.push({ from: found[0].id, to: found[i].id, arrows: "to",
                       label: relation ? (relation.type === "uri" ? shortIri(relation.value) : relation.value) : "" });
        }
      });
    }
    var seen = {};
    edges = edges.filter(function (e) {
      var k = e.from + " " + e.to + " " + e.label;
      if (seen[k]) return false;
      seen[k] = true; return true;
    });
    return { nodes: Object.keys(nodes).sort().map(function (k) { return nodes[k]; }), edges: edges };
  }
  function GraphPlugin(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Graph"; }
  GraphPlugin.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    if (!r) return false;
    var st = r.getStatements && r.getStatements();
    if (st && st.length) return true;
    var vars = r.getVariables && r.getVariables();
    return !!(vars && (r.getBindings() || []).some(function (row) {
      return vars.some(function (v) { return row[v] && row[v].type === "uri" && row[v].value.indexOf(PK) === 0; });
    }));
  };
  GraphPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "◉";
    return icon;
  };
  GraphPlugin.prototype.draw = function () {
    var self = this;
    return ready.then(function () {
      var el = document.createElement("div");
      el.className = "pathokg-graph";
      el.style.height = "560px";
      el.style.border = "1px solid #ddd";
      self.yasr.resultsEl.appendChild(el);
      var data = graphOf(self.yasr.results);
      var network = new vis.Network(el, { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, {
        physics: { stabilization: { iterations: 200 } },
        nodes: { font: { size: 14 }, borderWidth: 2 },
        edges: { font: { size: 11, align: "middle" }, color: "#777", smooth: { type: "dynamic" } },
        interaction: { hover: true },
      });
      network.on("doubleClick", function (params) {
        var id = params.nodes[0];
        if (id && byIri[id]) window.location.href = pageOf(id);
      });
      window.pathokgGraph = { network: network, nodes: data.nodes, edges: data.edges };
    });
  };
  Yasr.registerPlugin("graph", GraphPlugin);
  window.pathokgQueryPage = { graphOf: graphOf, pageOf: pageOf };
})();
