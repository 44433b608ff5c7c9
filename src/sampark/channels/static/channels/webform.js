/* Progressive enhancement of the website's complaint pages: the "send a new OTP" button waits
   out the cool-down with a visible countdown (without JavaScript the server says "wait"). */
(function () {
  "use strict";
  var button = document.getElementById("resend");
  if (!button) {
    return;
  }
  var seconds = parseInt(button.getAttribute("data-wait"), 10);
  if (!(seconds > 0)) {
    return;
  }
  var label = button.textContent;
  function tick() {
    if (seconds <= 0) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.disabled = true;
    button.textContent = label + " (" + seconds + ")";
    seconds -= 1;
    window.setTimeout(tick, 1000);
  }
  tick();
})();
