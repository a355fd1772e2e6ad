// Wheelwright's only script, all of it optional: the pages work without it.
// A copy button for the pip line, and a build log that follows a running build.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        button.textContent = "Copied";
      }, function () {
        source.select();
      });
    });
  });

  var log = document.getElementById("build-log");
  if (log && log.dataset.live === "true") {
    var version = log.dataset.version;
    var poll = function () {
      fetch(log.dataset.logUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (text) {
          if (text !== null) {
            var atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
            log.textContent = text;
            if (atEnd) { log.scrollTop = log.scrollHeight; }
          }
          return fetch(log.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
        })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (builds) {
          var build = builds.find(function (b) { return b.version === version; });
          if (build && (build.status === "succeeded" || build.status === "failed")) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 2000);
  }
});
