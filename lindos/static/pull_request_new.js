/* New pull request, progressive enhancement only (without it, "Preview"
 * posts the form and the page comes back with the preview):
 * - choosing another repository on either side reloads that side's
 *   branches, bookmarks and tags;
 * - any change of a side refreshes the preview of changesets and diff. */
(function () {
  "use strict";
  var form = document.getElementById("pr-new");
  if (!form) { return; }
  var box = document.getElementById("pr-preview");
  var field = function (name) { return form.elements[name]; };
  var pending = 0;

  function fillRefs(select, data) {
    var keep = select.value;
    while (select.firstChild) { select.removeChild(select.firstChild); }
    var values = [];
    data.groups.forEach(function (group) {
      var optgroup = document.createElement("optgroup");
      optgroup.label = group.label;
      group.options.forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        optgroup.appendChild(option);
        values.push(pair[0]);
      });
      select.appendChild(optgroup);
    });
    select.value = values.indexOf(keep) >= 0 ? keep : data["default"];
  }

  function loadRefs(repoField, refField) {
    var url = form.getAttribute("data-refs-url") + "?repo=" + encodeURIComponent(field(repoField).value);
    return fetch(url, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { fillRefs(field(refField), data); });
  }

  function refresh() {
    var mine = ++pending;
    var query = ["source_repo", "source_ref", "target_repo", "target_ref"].map(function (name) {
      return name + "=" + encodeURIComponent(field(name).value);
    }).join("&");
    box.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview-url") + "?" + query, {credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== pending) { return; }  // a later choice is on its way
        box.innerHTML = html;
        box.removeAttribute("aria-busy");
      });
  }

  field("source_repo").addEventListener("change", function () {
    loadRefs("source_repo", "source_ref").then(refresh);
  });
  field("target_repo").addEventListener("change", function () {
    loadRefs("target_repo", "target_ref").then(refresh);
  });
  field("source_ref").addEventListener("change", refresh);
  field("target_ref").addEventListener("change", refresh);
  if (!box.firstElementChild) { refresh(); }
}());
