/* Document builds (emes.documents): every [data-status-url] block of a page whose build is not finished polls its
   status so it moves queued -> running n% -> done (a download link appears) or failed (the reason shows), without
   reloading. Progress bars take their width from data-progress (no style="" in templates: strict CSP). */
(function () {
  "use strict";
  function bar(block, pct) {
    var b = block.querySelector(".job-bar");
    if (b) { b.style.width = pct + "%"; }
  }
  function poll(block) {
    fetch(block.dataset.statusUrl, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var badge = block.querySelector(".job-status");
        badge.textContent = job.status_display;
        badge.dataset.status = job.status;
        bar(block, job.progress);
        var pct = block.querySelector(".job-percent");
        if (pct) { pct.textContent = job.finished ? "" : job.progress + "%"; }
        if (job.finished) {
          var progress = block.querySelector(".progress");
          if (progress) { progress.classList.add("d-none"); }
          block.querySelector(".job-error").textContent = job.error;
          if (job.download_url) {
            var link = document.createElement("a");
            link.className = "btn btn-sm btn-success";
            link.href = job.download_url;
            link.textContent = block.dataset.downloadLabel;
            var when = document.createElement("span");
            when.className = "small text-muted ms-1";
            when.textContent = job.finished_at;
            block.querySelector(".job-download").replaceChildren(link, when);
          }
          block.dataset.finished = "1";
        } else {
          setTimeout(function () { poll(block); }, 1000);
        }
      })
      .catch(function () { setTimeout(function () { poll(block); }, 3000); });
  }
  document.querySelectorAll(".document-job[data-status-url]").forEach(function (block) {
    var b = block.querySelector(".job-bar");
    if (b) { bar(block, b.dataset.progress); }
    if (block.dataset.finished === "0") { poll(block); }
  });
})();
