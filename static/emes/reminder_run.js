/* The "send now" page of the reminders (reports.reminders.views.run): poll the run (a job, services.request_send_now)
   so its progress moves without reloading; when it is finished the page reloads once to list what was sent (the
   server renders the letters' numbers). Bar widths come from data-progress (no style="" in templates: strict CSP). */
(function () {
  "use strict";
  var box = document.getElementById("send-run");
  if (!box) { return; }
  function bar(pct) {
    var b = box.querySelector(".progress-bar");
    if (b) { b.style.width = pct + "%"; b.textContent = pct + "%"; }
  }
  var start = box.querySelector(".progress-bar");
  if (start) { bar(start.dataset.progress || 0); }
  if (box.dataset.finished === "1") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (run) {
        box.querySelector(".run-status").textContent = run.status_display;
        bar(run.progress);
        if (run.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
