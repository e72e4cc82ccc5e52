/* SSH keys page: removing a key asks first (the form works without this). */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-confirm]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (event) {
      if (!window.confirm(this.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }
})();
