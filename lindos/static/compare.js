// The compare form: choosing another repository reloads the page with that
// repository's branches, bookmarks and tags (without JavaScript, the Choose
// button does the same).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var select = document.querySelector("[data-compare-repo]");
  var pick = document.getElementById("compare-pick");
  if (!select || !pick) return;
  select.addEventListener("change", function () {
    pick.click();
  });
});
