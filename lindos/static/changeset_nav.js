/* "Show children" on a changeset page: fetches the changeset's children
 * from /REPO/changeset_children/ID (JSON, answered to script requests
 * only) and replaces the link with links to them. Finding children walks
 * history, so it is done when asked for, not on every view (as Kallithea's
 * "Child rev." link did). Hidden in the HTML, shown here: without script
 * there is no link that does nothing. */
(function () {
  "use strict";
  document.querySelectorAll("[data-children-url]").forEach(function (box) {
    var link = box.querySelector("a.show-children");
    box.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.textContent = "Loading children…";
      fetch(box.getAttribute("data-children-url"), {
        headers: {"X-Requested-With": "XMLHttpRequest"},
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }).then(function (data) {
        var base = box.getAttribute("data-children-url").replace(/\/changeset_children\/[^/]*$/, "/changeset/");
        box.textContent = data.results.length ? "· Children: " : "· No children";
        data.results.forEach(function (child) {
          var a = document.createElement("a");
          a.className = "mono child-link";
          a.href = base + child.raw_id;
          a.title = child.message;
          a.textContent = child.short_id;
          box.appendChild(a);
          box.appendChild(document.createTextNode(" "));
        });
      }).catch(function () { link.textContent = "Children could not be loaded"; });
    });
  });
})();
