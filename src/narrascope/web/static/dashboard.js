// The dashboard's drawings. Progressive enhancement only: every chart and graph drawn here is
// also on the page as a table, which is all a browser without JavaScript shows. Data comes from
// <script type="application/json"> blocks the server filled (never executed, never markup), and
// text reaches the libraries as data (canvas labels), never as HTML.
(function () {
  "use strict";

  var COLORS = { support: "#1f7a3a", oppose: "#b3261e", discuss: "#44627f", unrelated: "#999999", mixed: "#777777" };

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function day(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function provenance() {
    var box = document.getElementById("provenance-graph");
    var graph = data("provenance-data");
    if (!box || !graph || !graph.nodes.length || typeof cytoscape === "undefined") return;
    box.hidden = false;
    // Cytoscape would inject a <style> element, which the dashboard's Content-Security-Policy
    // (style-src 'self') blocks; web.css carries its one rule and this marker says so.
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      var marker = document.createElement("meta");
      marker.id = "__________cytoscape_stylesheet";
      document.head.appendChild(marker);
    }
    var elements = graph.nodes.map(function (n) {
      return { data: { id: n.id, label: n.label, kind: n.kind, href: n.href, current: n.current ? 1 : 0 } };
    }).concat(graph.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, relation: e.relation } };
    }));
    var cy = cytoscape({
      container: box,
      elements: elements,
      wheelSensitivity: 0.2,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "text-wrap": "wrap", "text-max-width": 110,
          "text-valign": "bottom", "text-margin-y": 4, width: 26, height: 26 } },
        { selector: "node[kind = 'outlet']", style: { shape: "ellipse", "background-color": "#7aa7e0" } },
        { selector: "node[kind = 'origin']", style: { shape: "diamond", "background-color": "#9aa0a6", width: 30, height: 30 } },
        { selector: "node[kind = 'claim']", style: { shape: "round-rectangle", "background-color": "#ffe9a3",
          "border-width": 1, "border-color": "#b08a00" } },
        { selector: "node[current = 1]", style: { "border-width": 4, "border-color": "#e0a800" } },
        { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle",
          label: "data(relation)", "font-size": 8, color: "#555", "text-rotation": "autorotate",
          "line-color": "#c4c8ce", "target-arrow-color": "#c4c8ce" } },
        { selector: "edge[relation = 'contradicts']", style: { "line-color": "#b3261e", "target-arrow-color": "#b3261e",
          "line-style": "dashed", width: 2.5, color: "#b3261e", "curve-style": "unbundled-bezier",
          "control-point-distances": [-60], "control-point-weights": [0.5] } },
        { selector: "edge[relation = 'relays']", style: { "line-color": "#44627f", "target-arrow-color": "#44627f", width: 2 } },
        { selector: "edge[relation = 'cites'], edge[relation = 'quotes']",
          style: { "line-color": "#5b5f97", "target-arrow-color": "#5b5f97", width: 2 } }
      ],
      layout: { name: "preset", positions: rows(graph, box.clientWidth), padding: 30, animate: false }
    });
    cy.on("tap", "node", function (evt) {
      var href = evt.target.data("href");
      if (href && href.charAt(0) === "/") window.location.href = href;
    });
    var table = document.getElementById("provenance-table");
    if (table) table.open = false;
  }

  // Three rows: origins on top, the outlets that publish or relay in the middle, claims below.
  // Within a row, each node sits at the mean position of the nodes it is joined to in the row
  // below it (claims keep the server's order, grouped by outlet), which keeps crossings few.
  function rows(graph, width) {
    var byId = {}, neighbours = {}, positions = {};
    graph.nodes.forEach(function (n) { byId[n.id] = n; neighbours[n.id] = []; });
    graph.edges.forEach(function (e) {
      if (neighbours[e.source] && neighbours[e.target]) {
        neighbours[e.source].push(e.target);
        neighbours[e.target].push(e.source);
      }
    });
    function place(ids, y) {
      var step = Math.max(130, width / (ids.length + 1));
      ids.forEach(function (id, i) { positions[id] = { x: step * (i + 1), y: y }; });
    }
    function meanX(id) {
      var xs = neighbours[id].filter(function (o) { return positions[o]; }).map(function (o) { return positions[o].x; });
      return xs.length ? xs.reduce(function (a, b) { return a + b; }, 0) / xs.length : 0;
    }
    function kind(k) { return graph.nodes.filter(function (n) { return n.kind === k; }).map(function (n) { return n.id; }); }
    var outletOrder = [];
    var claims = kind("claim");
    claims.forEach(function (id) {
      neighbours[id].forEach(function (o) {
        if (byId[o].kind === "outlet" && outletOrder.indexOf(o) < 0) outletOrder.push(o);
      });
    });
    function outletIndex(id) {
      var o = neighbours[id].filter(function (n) { return byId[n].kind === "outlet"; })[0];
      return o === undefined ? 0 : outletOrder.indexOf(o);
    }
    claims.sort(function (a, b) { return outletIndex(a) - outletIndex(b); });
    place(claims, 320);
    var middle = kind("outlet").sort(function (a, b) { return meanX(a) - meanX(b); });
    place(middle, 170);
    var top = kind("origin").sort(function (a, b) { return meanX(a) - meanX(b); });
    place(top, 20);
    return positions;
  }

  function timeline() {
    var canvas = document.getElementById("timeline-chart");
    var points = data("timeline-data");
    if (!canvas || !points || !points.length || typeof Chart === "undefined") return;
    var outlets = [];
    points.forEach(function (p) { if (outlets.indexOf(p.outlet) < 0) outlets.push(p.outlet); });
    canvas.parentNode.hidden = false;
    canvas.parentNode.style.height = Math.max(160, 60 + outlets.length * 34) + "px";
    var rows = points.map(function (p) {
      return { x: Date.parse(p.t), y: outlets.indexOf(p.outlet), title: p.title, href: p.href, outlet: p.outlet };
    });
    var chart = new Chart(canvas, {
      type: "scatter",
      data: { datasets: [{ label: "articles", data: rows, pointRadius: 7, pointHoverRadius: 9,
        pointBackgroundColor: points.map(function (p) { return p.copy ? "#9aa0a6" : "#1557b0"; }) }] },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          label: function (ctx) { return ctx.raw.outlet + ", " + day(ctx.raw.x) + ": " + ctx.raw.title; } } } },
        scales: {
          x: { type: "linear", ticks: { callback: function (v) { return day(v); }, maxTicksLimit: 8 } },
          y: { type: "linear", min: -0.5, max: outlets.length - 0.5, reverse: true,
            // one tick per outlet, on its row (a step from min = -0.5 would fall between rows)
            afterBuildTicks: function (axis) { axis.ticks = outlets.map(function (_, i) { return { value: i }; }); },
            ticks: { autoSkip: false, callback: function (v) { return outlets[v] === undefined ? "" : outlets[v]; } } }
        },
        onClick: function (evt, items) {
          if (items.length) window.location.href = rows[items[0].index].href;
        }
      }
    });
    return chart;
  }

  function stanceCharts() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas.stance-chart").forEach(function (canvas) {
      var byMonth = data(canvas.getAttribute("data-source"));
      if (!byMonth) return;
      var months = Object.keys(byMonth);
      canvas.parentNode.hidden = false;
      new Chart(canvas, {
        type: "bar",
        data: { labels: months, datasets: ["support", "oppose", "discuss", "unrelated"].map(function (label) {
          return { label: label, backgroundColor: COLORS[label],
            data: months.map(function (m) { return byMonth[m][label] || 0; }) };
        }) },
        options: { animation: false, maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } }
      });
    });
  }

  provenance();
  timeline();
  stanceCharts();
})();
