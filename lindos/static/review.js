/* Code review, progressive enhancement only: every form works without it.
 * - a click on a line number of a diff turns the comment form into an
 *   inline comment on that line (old side: first column, new: second);
 * - inline comments are shown under the diff line they are about;
 * - a comment form cannot be submitted twice (the server also refuses a
 *   second copy, by the form's token);
 * - deleting a comment asks first. */
(function () {
  "use strict";
  var form = document.getElementById("comment-form");

  function rowFor(path, side, line) {
    var rows = document.querySelectorAll("tr[data-path]");
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (r.getAttribute("data-path") === path && r.getAttribute("data-" + side) === String(line)) {
        return r;
      }
    }
    return null;
  }

  function placeUnder(row, element) {
    var holder = document.createElement("tr");
    holder.className = "inline-holder";
    var cell = document.createElement("td");
    cell.colSpan = 3;
    holder.appendChild(cell);
    cell.appendChild(element);
    row.parentNode.insertBefore(holder, row.nextSibling);
    return holder;
  }

  // Inline comments next to their lines.
  document.querySelectorAll(".inline-comment[data-path]").forEach(function (c) {
    var row = rowFor(c.getAttribute("data-path"), c.getAttribute("data-side"), c.getAttribute("data-line"));
    if (row) {
      var next = row.nextSibling;
      if (next && next.className === "inline-holder" && !next.querySelector("form")) {
        next.firstChild.appendChild(c);
      } else {
        placeUnder(row, c);
      }
    }
  });

  document.querySelectorAll(".inline-comments").forEach(function (list) {
    if (!list.querySelector(".comment") && list.previousElementSibling) {
      list.previousElementSibling.hidden = true;  // its "Inline comments" heading
    }
  });

  if (form) {
    var home = form.parentNode, homeNext = form.nextSibling, holder = null;
    var path = form.querySelector("[name=path]"), line = form.querySelector("[name=line]");
    var side = form.querySelector("[name=side]"), text = form.querySelector("textarea");

    document.querySelectorAll("tr[data-path] td.ln").forEach(function (cell) {
      cell.style.cursor = "pointer";
      cell.title = "Comment on this line";
      cell.addEventListener("click", function () {
        var row = cell.parentNode;
        var which = cell === row.cells[0] ? "old" : "new";
        var number = row.getAttribute("data-" + which);
        if (!number) { which = which === "old" ? "new" : "old"; number = row.getAttribute("data-" + which); }
        if (!number) { return; }
        path.value = row.getAttribute("data-path");
        line.value = number;
        side.value = which;
        if (holder) { holder.parentNode.removeChild(holder); }
        holder = placeUnder(row, form);
        text.focus();
      });
    });

    path.addEventListener("change", function () {
      if (!path.value && holder) {  // back to a general comment
        home.insertBefore(form, homeNext);
        holder.parentNode.removeChild(holder);
        holder = null;
      }
    });

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.textContent = "Sending…"; }
    });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (event) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
