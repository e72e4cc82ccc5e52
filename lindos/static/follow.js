/* The follow button of a repository's header: posts Kallithea's toggle
 * (POST /_admin/toggle_following) without leaving the page and flips the
 * button and the follower count. Without script the form posts and the
 * server sends the visitor back to the page. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-follow]").forEach(function (form) {
    var button = form.querySelector("button");
    var count = document.querySelector("[data-follower-count]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new FormData(form);
      body.delete("next");
      button.disabled = true;
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                           headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          var now = response.headers.get("X-Following") === "true";
          button.textContent = now ? "Unfollow" : "Follow";
          button.setAttribute("data-following", now ? "true" : "false");
          if (count) { count.textContent = String(Number(count.textContent) + (now ? 1 : -1)); }
        })
        .catch(function () { form.submit(); })
        .finally(function () { button.disabled = false; });
    });
  });
})();
