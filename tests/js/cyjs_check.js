// Load a .cyjs file with Cytoscape.js (headless) and check that every element is found by its id
// selector, as `cy.$('#' + id)` does in an application. Prints one JSON line: counts and failures.
// Usage: node tests/js/cyjs_check.js FILE.cyjs
const fs = require("fs");
const cytoscape = require("cytoscape");

const data = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cy = cytoscape({ headless: true, elements: data.elements });
const failures = [];
for (const group of ["nodes", "edges"]) {
  for (const element of data.elements[group]) {
    const id = element.data.id;
    let found;
    try {
      found = cy.$("#" + id);
    } catch (error) {
      failures.push(`${id}: ${error.message}`);
      continue;
    }
    if (found.length !== 1 || found.data("iri") !== element.data.iri) failures.push(`${id}: found ${found.length}`);
  }
}
const dc = cy.nodes().filter((n) => n.data("label") === "dystrophic calcification");
console.log(JSON.stringify({
  nodes: cy.nodes().length, edges: cy.edges().length, failures,
  dcDegree: dc.length === 1 ? dc.degree() : -1, version: (data.data || {}).version || "",
}));
