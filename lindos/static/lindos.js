/* Site-wide progressive enhancement, kept out of the HTML so the pages can
 * forbid inline script (Content-Security-Policy: script-src 'self'):
 * - an input marked data-select-on-click selects its text when clicked
 *   (the clone URL);
 * - a select marked data-autosubmit submits its form when changed (the
 *   branch filter; its form has a button for browsers without script);
 * - a button marked data-copy="ID" copies that input's value (the clone
 *   URLs) and says so; such buttons are hidden in the HTML and shown here,
 *   so without script there is no button that does nothing (the input's
 *   text can still be selected and copied by hand). */
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-on-click]").forEach(function (input) {
    input.addEventListener("click", function () { input.select(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      var done = function (ok) {
        button.textContent = ok ? "Copied" : "Press Ctrl+C";
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); },
                                                         function () { done(false); });
      } else {
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        done(ok);
      }
    });
  });
})();
