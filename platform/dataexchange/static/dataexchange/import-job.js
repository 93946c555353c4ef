// Follows a running import job: polls its progress URL and reloads the page when the run ends.
(function () {
  "use strict";
  var root = document.getElementById("import-job");
  if (!root || root.dataset.running !== "1") return;
  var url = root.dataset.progressUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (progress) {
        if (!progress.running) { window.location.reload(); return; }
        var bar = document.getElementById("import-job-bar");
        var percent = document.getElementById("import-job-percent");
        if (percent) percent.textContent = progress.percent;
        if (bar) bar.style.width = progress.percent + "%";
        var done = document.getElementById("import-job-done");
        var total = document.getElementById("import-job-total");
        var status = document.getElementById("import-job-status");
        if (done) done.textContent = progress.done;
        if (total) total.textContent = progress.total;
        if (status) status.textContent = progress.status_label;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
