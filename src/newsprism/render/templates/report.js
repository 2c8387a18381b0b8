// newsprism report: a citation button toggles its evidence sentence; Escape or a click elsewhere closes it.
// This is the page's only script. It reads nothing from the report's data and makes no request.
(function () {
  "use strict";
  function close(except) {
    var open = document.querySelectorAll(".cite.open");
    for (var i = 0; i < open.length; i++) {
      if (open[i] !== except) {
        open[i].classList.remove("open");
        open[i].querySelector(".cite-btn").setAttribute("aria-expanded", "false");
      }
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".cite-btn") : null;
    var cite = button ? button.parentNode : null;
    if (!cite && event.target.closest && event.target.closest(".cite.open")) {
      return;
    }
    close(cite);
    if (cite) {
      var isOpen = cite.classList.toggle("open");
      button.setAttribute("aria-expanded", isOpen ? "true" : "false");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close(null);
      if (document.activeElement && document.activeElement.classList.contains("cite-btn")) {
        document.activeElement.blur();
      }
    }
  });
  document.documentElement.classList.add("js");
})();
