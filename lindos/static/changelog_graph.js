/* The changelog's revision graph, drawn beside the list as an SVG.
 *
 * The server computes the lanes (lindos/repos/browse/graph.py) and puts
 * them in a JSON data block (#changelog-graph-data), one entry per row:
 * [column, colour, [[from column, to column, colour, fades], ...]]; each
 * edge runs from this row's dot height to the next row's. Rows are
 * measured in the page, so wrapped messages keep the dots on their rows;
 * the graph is redrawn when the window is resized. A file of its own:
 * the pages allow no inline script (script-src 'self'). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var LANE = 14, RADIUS = 4, COLOURS = 8;
  var source = document.getElementById("changelog-graph-data");
  var box = document.getElementById("changelog");
  if (!source || !box) { return; }
  var data = JSON.parse(source.textContent);

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function draw() {
    var old = box.querySelector("svg.graph");
    if (old) { old.remove(); }
    var rows = box.querySelectorAll("tr.changelog-row");
    var top = box.getBoundingClientRect().top;
    var cell = box.querySelector("td.graph-col");
    var left = cell ? cell.getBoundingClientRect().left - box.getBoundingClientRect().left : 0;
    var ys = [];
    rows.forEach(function (row) {
      var r = row.getBoundingClientRect();
      ys.push(r.top - top + r.height / 2);
    });
    var svg = el("svg", {"class": "graph", "width": box.clientWidth, "height": box.clientHeight,
                         "aria-hidden": "true", "data-rows": data.length});
    var x = function (column) { return left + LANE / 2 + 4 + column * LANE; };
    var lines = el("g", {}), dots = el("g", {});
    data.forEach(function (entry, i) {
      if (i >= ys.length) { return; }
      var y = ys[i];
      var next = i + 1 < ys.length ? ys[i + 1] : y + (rows[i].getBoundingClientRect().height / 2);
      entry[2].forEach(function (edge) {
        var x1 = x(edge[0]), x2 = x(edge[1]), mid = (y + next) / 2;
        var d = edge[0] === edge[1] ? "M" + x1 + "," + y + " L" + x2 + "," + next
          : "M" + x1 + "," + y + " C" + x1 + "," + mid + " " + x2 + "," + mid + " " + x2 + "," + next;
        lines.appendChild(el("path", {"d": d, "class": "lane-" + (edge[2] % COLOURS) + (edge[3] ? " fades" : "")}));
      });
      dots.appendChild(el("circle", {"cx": x(entry[0]), "cy": y, "r": RADIUS,
                                     "class": "lane-" + (entry[1] % COLOURS)}));
    });
    svg.appendChild(lines);
    svg.appendChild(dots);
    box.appendChild(svg);
  }

  draw();
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { cancelAnimationFrame(pending); }
    pending = requestAnimationFrame(draw);
  });
})();
