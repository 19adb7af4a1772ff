/* The calendar-feed page: copy the feed address to the clipboard. */
(function () {
  "use strict";
  var button = document.getElementById("copy-feed");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var input = document.getElementById("feed-url");
    input.select();
    var done = function () { button.textContent = button.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(input.value).then(done); }
    else { document.execCommand("copy"); done(); }
  });
})();
