/* The annual-report page: poll unfinished jobs so the status moves queued -> running -> done without
   reloading; polling stops when the job is done or failed (the reason is shown). A job that is not moving
   (no worker, a worker that died) shows why and is asked about less often until the reaper requeues or
   fails it. The download button's label comes from the table's data-download-label (translated). A row
   marked data-reload (a build of a version: it may have frozen the approved PDF) reloads the page once
   it is finished, so the version's buttons and checksum show. */
(function () {
  "use strict";
  var table = document.getElementById("jobs");
  if (!table) { return; }
  var downloadLabel = table.dataset.downloadLabel;
  function poll(row) {
    fetch(row.dataset.statusUrl, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var badge = row.querySelector(".job-status");
        badge.textContent = job.status_display;
        badge.dataset.status = job.status;
        row.querySelector(".progress-bar").style.width = job.progress + "%";
        row.querySelector(".job-percent").textContent = job.finished ? "" : job.progress + "%";
        row.querySelector(".job-note").textContent = job.note || "";
        if (job.finished) {
          row.querySelector(".progress").classList.add("d-none");
          row.querySelector(".job-finished").textContent = job.finished_at;
          row.querySelector(".job-error").textContent = job.error;
          if (job.download_url) {
            var link = document.createElement("a");
            link.className = "btn btn-sm btn-success";
            link.href = job.download_url;
            link.textContent = downloadLabel;
            row.querySelector(".job-download").replaceChildren(link);
          }
          if (row.dataset.reload === "1") { window.location.reload(); }
        } else {
          setTimeout(function () { poll(row); }, job.note ? 15000 : 1000);
        }
      })
      .catch(function () { setTimeout(function () { poll(row); }, 3000); });
  }
  table.querySelectorAll("tr[data-job][data-finished='0']").forEach(poll);
})();
