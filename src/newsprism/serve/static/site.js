// newsprism server pages: on the story feed, follow /api/events and say when new stories have arrived.
// Everything works without this script; it reads no page data and sends nothing but that one request.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource) {
    return;
  }
  var source = new EventSource("/api/events");
  source.addEventListener("story", function () {
    live.hidden = false;
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
