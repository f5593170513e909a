// Inside the embed page: tell the page that frames it how tall the list is, so embed.js can
// size the frame without a scrollbar. Only the height is sent; any parent may read it.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "mhk-embed-height", height: height }, "*");
    }
  }
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  report();
})();
