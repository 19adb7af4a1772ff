/* The calendar list: poll an unfinished generation (a job, emes.calendar.services.request_generation) so its
   progress moves without reloading; when it is finished the page reloads once to show the generated events
   (the summary of counts or the failure reason is then rendered by the server). */
(function () {
  "use strict";
  var box = document.getElementById("calendar-build");
  if (!box || box.dataset.finished === "1") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (build) {
        box.querySelector(".build-status").textContent = build.status_display;
        var bar = box.querySelector(".progress-bar");
        if (bar) { bar.style.width = build.progress + "%"; bar.textContent = build.progress + "%"; }
        if (build.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
