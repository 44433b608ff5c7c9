// 1912 agent desk: keys ("/" to search, 1-9 and 0 for categories, Esc to clear), the script
// and the duplicate warning following the chosen category, and the queues panel refreshed in
// place. Without this script the page works the same through links and form posts.
(function () {
  "use strict";
  var REFRESH_MS = 15000;
  var search = document.querySelector("#ad-search input[name=q]");
  var form = document.getElementById("ad-register");
  var script = document.getElementById("ad-script");
  var queues = document.getElementById("ad-queues");

  function typing(element) {
    if (!element) { return false; }
    if (element.isContentEditable || element.tagName === "TEXTAREA" ||
        element.tagName === "SELECT") { return true; }
    if (element.tagName !== "INPUT") { return false; }
    return ["radio", "checkbox", "button", "submit", "reset"].indexOf(element.type) === -1;
  }

  function chosen() {
    var checked = form && form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "";
  }

  // The chosen category's questions in the script; its open complaint's warning, if any.
  function follow() {
    var value = chosen();
    if (script) {
      script.querySelectorAll("[data-script-for]").forEach(function (block) {
        block.open = block.getAttribute("data-script-for") === value;
      });
    }
    if (form) {
      form.querySelectorAll("[data-dup-for]").forEach(function (block) {
        block.hidden = block.getAttribute("data-dup-for") !== value;
      });
    }
  }

  function choose(key) {
    var input = form && form.querySelector('input[data-key="' + key + '"]');
    if (!input) { return false; }
    input.checked = true;
    input.focus();
    follow();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target;
    // "/" is never part of a query, so in the search box too it only selects what is there.
    if (event.key === "/" && search && (!typing(target) || target === search)) {
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "Escape") {
      if (typing(target) && target.value) {
        target.value = "";  // first Esc empties the field being typed in
      } else if (search) {
        search.value = "";
        search.focus();
      }
      event.preventDefault();
    } else if (/^[0-9]$/.test(event.key) && !typing(target)) {
      if (choose(event.key)) { event.preventDefault(); }
    }
  });

  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name === "category") { follow(); }
    });
    // An open complaint of the same category needs "Register anyway" (the server insists too).
    form.addEventListener("submit", function (event) {
      var checked = form.querySelector("input[name=category]:checked");
      var submitter = event.submitter;
      if (!checked || !checked.hasAttribute("data-open")) { return; }
      if (submitter && submitter.name === "confirm_duplicate") { return; }
      event.preventDefault();
      follow();
      var again = form.querySelector('[data-dup-for="' + checked.value + '"] button');
      if (again) { again.focus(); }
    });
  }
  if (script) {
    script.classList.add("ad-js");
    follow();
  }

  // Where the agent starts: the refused duplicate's "Register anyway", else the number just
  // registered, else the caller's card (so that the digit keys choose a category), else the
  // search box (autofocus).
  var start = document.querySelector("[data-dup-for]:not([hidden]) button") ||
    document.getElementById("ad-done") || document.getElementById("ad-card");
  if (start) { start.focus(); }

  // The queues panel, refreshed unless the agent is working in it or the tab is hidden.
  if (!queues || !window.fetch) { return; }
  function refresh() {
    if (document.hidden || queues.contains(document.activeElement)) {
      window.setTimeout(refresh, REFRESH_MS);
      return;
    }
    fetch(queues.getAttribute("data-url"), {
      headers: { Accept: "text/html" }, credentials: "same-origin", redirect: "manual"
    })
      .then(function (response) {
        if (!response.ok) { throw response.status; }  // 0: redirected to sign in
        return response.text();
      })
      .then(function (html) {
        if (!queues.contains(document.activeElement)) {
          queues.innerHTML = html;  // rendered and escaped by Django
        }
        window.setTimeout(refresh, REFRESH_MS);
      })
      .catch(function (status) {
        // Signed out or no longer allowed: stop. Network trouble: try again later.
        if (status === 0 || status === 403 || status === 404) { return; }
        window.setTimeout(refresh, REFRESH_MS);
      });
  }
  window.setTimeout(refresh, REFRESH_MS);
})();
