// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Focus the error summary so screen readers announce it (autofocus does it too).
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // USWDS's file input names its <input> after the drop zone's words ("Drag file here or
  // choose from folder", later "Change file"), which hides the field's own label from
  // screen readers and voice control (WCAG 2.5.3, 4.1.2). aria-labelledby outranks that
  // aria-label: point it at the field's <label>.
  var fileInputs = document.querySelectorAll('input[type="file"]');
  for (var i = 0; i < fileInputs.length; i++) {
    var label = fileInputs[i].labels && fileInputs[i].labels[0];
    if (label) {
      if (!label.id) { label.id = fileInputs[i].id + "-label"; }
      fileInputs[i].setAttribute("aria-labelledby", label.id);
    }
  }

  // "Leave this site quickly": Escape replaces the page (no history entry to go back to).
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    var leave = function (event) {
      if (event) { event.preventDefault(); }
      window.location.replace(exit.getAttribute("data-quick-exit"));
    };
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { leave(event); }
    });
  }

  // Warn before an unfinished report's session ends, with a button to stay.
  var holder = document.querySelector("[data-session-timeout]");
  var seconds = holder ? parseInt(holder.getAttribute("data-session-timeout"), 10) : 0;
  if (seconds > 300) {
    var warnAfter = (seconds - 300) * 1000;
    var show = function () {
      if (document.getElementById("timeout-warning")) { return; }
      var box = document.createElement("div");
      box.id = "timeout-warning";
      box.className = "usa-alert usa-alert--warning ereport-timeout-warning";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-labelledby", "timeout-warning-text");
      var body = document.createElement("div");
      body.className = "usa-alert__body";
      var text = document.createElement("p");
      text.className = "usa-alert__text";
      text.id = "timeout-warning-text";
      text.textContent = holder.getAttribute("data-timeout-text") ||
        "You have not done anything for a while. For your privacy this page will close in 5 minutes. Your answers so far are saved.";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "usa-button margin-top-1";
      button.textContent = holder.getAttribute("data-timeout-button") || "Stay on this page";
      button.addEventListener("click", function () {
        fetch(holder.getAttribute("data-keepalive-url") || "/report/keepalive/", {credentials: "same-origin"})
          .then(function () { box.parentNode.removeChild(box); timer = window.setTimeout(show, warnAfter); });
      });
      body.appendChild(text);
      body.appendChild(button);
      box.appendChild(body);
      document.body.appendChild(box);
      button.focus();
    };
    var timer = window.setTimeout(show, warnAfter);
  }
})();
