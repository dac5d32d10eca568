// The report wizard's progressive enhancements. Every step works without this file: the
// server checks everything again.
(function () {
  "use strict";

  // "When and where": the date and time boxes come in one group per answer to "Do you know
  // exactly when it happened?". Show only the chosen answer's group (none until one is
  // chosen), so nobody fills in boxes the answer makes pointless. Without this script
  // both groups show, each under a heading naming its answer.
  var groups = document.querySelectorAll("[data-reveal-name]");
  var revealFor = function (name) {
    var chosen = document.querySelector('input[name="' + name + '"]:checked');
    for (var i = 0; i < groups.length; i++) {
      if (groups[i].getAttribute("data-reveal-name") === name) {
        groups[i].hidden = !chosen || chosen.value !== groups[i].getAttribute("data-reveal-value");
      }
    }
  };
  for (var g = 0; g < groups.length; g++) {
    var name = groups[g].getAttribute("data-reveal-name");
    var radios = document.querySelectorAll('input[name="' + name + '"]');
    for (var r = 0; r < radios.length; r++) {
      if (radios[r].value === groups[g].getAttribute("data-reveal-value")) {
        radios[r].setAttribute("aria-controls", groups[g].id);
      }
      radios[r].addEventListener("change", revealFor.bind(null, name));
    }
    revealFor(name);
  }

  // Attachments: refuse a file over the size limit (or one file too many) before sending
  // it, rather than after a 10 MB upload on a phone connection.
  var upload = document.querySelector("input[data-max-bytes]");
  if (!upload) { return; }
  var maxBytes = parseInt(upload.getAttribute("data-max-bytes"), 10);
  var room = parseInt(upload.getAttribute("data-max-files"), 10) -
    parseInt(upload.getAttribute("data-files-added"), 10);
  var group = upload.closest(".usa-form-group");
  var describedBy = upload.getAttribute("aria-describedby") || "";
  var problem = function () {
    var files = upload.files || [];
    if (files.length > room) {
      return upload.getAttribute("data-too-many");
    }
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > maxBytes) {
        return upload.getAttribute("data-too-large").replace("{name}", files[i].name);
      }
    }
    return "";
  };
  var show = function (message) {
    var box = document.getElementById("upload-size-error");
    if (!message) {
      if (box) { box.parentNode.removeChild(box); }
      group.classList.remove("usa-form-group--error");
      upload.setAttribute("aria-describedby", describedBy);
      return;
    }
    if (!box) {
      box = document.createElement("span");
      box.className = "usa-error-message";
      box.id = "upload-size-error";
      box.setAttribute("role", "alert");
      var hint = document.getElementById("upload-hint");
      hint.parentNode.insertBefore(box, hint.nextSibling);
    }
    box.textContent = message;
    group.classList.add("usa-form-group--error");
    upload.setAttribute("aria-describedby", (describedBy + " upload-size-error").trim());
  };
  upload.addEventListener("change", function () { show(problem()); });
  upload.form.addEventListener("submit", function (event) {
    var message = problem();
    if (message) {
      event.preventDefault();
      show(message);
      upload.focus();
    }
  });
})();
