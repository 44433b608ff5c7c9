// Chat desk: append new messages to the transcript every few seconds without reloading (which
// would lose what the agent is typing), and send the reply with Ctrl+Enter. Without this
// script the page works the same; the agent reloads it to see new messages.
(function () {
  "use strict";
  var POLL_MS = 5000;
  var list = document.getElementById("transcript");
  var box = document.getElementById("id_text");

  if (box) {
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (box.form.requestSubmit) { box.form.requestSubmit(); } else { box.form.submit(); }
      }
    });
  }
  if (!list || !window.fetch) { return; }

  function atBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }
  function lastId() {
    var items = list.querySelectorAll("[data-id]");
    return items.length ? items[items.length - 1].getAttribute("data-id") : "0";
  }
  function schedule() { window.setTimeout(poll, POLL_MS); }

  function poll() {
    if (document.hidden) { schedule(); return; }
    var url = list.getAttribute("data-poll-url") + "?after=" + encodeURIComponent(lastId());
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin",
                 redirect: "manual" })
      .then(function (response) {
        if (!response.ok) { throw response.status; }  // 0: redirected to sign in
        return response.json();
      })
      .then(function (data) {
        if (data.html) {
          var follow = atBottom();
          list.insertAdjacentHTML("beforeend", data.html);  // rendered and escaped by Django
          var empty = document.getElementById("transcript-empty");
          if (empty) { empty.hidden = true; }
          if (follow) { list.scrollTop = list.scrollHeight; }
        }
        if (data.state !== list.getAttribute("data-state")) {
          document.getElementById("chat-changed").hidden = false;
        }
        schedule();
      })
      .catch(function (status) {
        // Signed out, gone or no longer allowed: stop. Network trouble (a TypeError): retry.
        if (status === 0 || status === 403 || status === 404) { return; }
        schedule();
      });
  }

  list.scrollTop = list.scrollHeight;
  schedule();
})();
