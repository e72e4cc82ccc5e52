/* Site-wide progressive enhancement, kept out of the HTML so the pages can
 * forbid inline script (Content-Security-Policy: script-src 'self'):
 * - an input marked data-select-on-click selects its text when clicked
 *   (the clone URL);
 * - a select marked data-autosubmit submits its form when changed (the
 *   branch filter; its form has a button for browsers without script). */
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-on-click]").forEach(function (input) {
    input.addEventListener("click", function () { input.select(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
