/* Clone URLs in the repository header: each "Copy" button (hidden without
 * script) puts its URL on the clipboard; lindos.js selects an URL on click. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var j = 0; j < buttons.length; j++) {
    buttons[j].hidden = false;
    buttons[j].addEventListener("click", function () {
      var button = this;
      var input = document.getElementById(button.getAttribute("data-copy"));
      var done = function () {
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select();
        });
      } else {
        input.select();
        if (document.execCommand("copy")) { done(); }
      }
    });
  }
})();
