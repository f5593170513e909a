// Musikkhjemmekontoret: paste on your own site to show an office's upcoming webinars and courses.
//   <script src="https://<platform>/static/sharing/embed.js" data-kontor="<office>" data-tema="<topic>" async></script>
// Inserts the embed page (/innbygging/<office>/) in a frame after this script and sizes the
// frame to its content when the page reports its height. No dependencies, no cookies.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var office = script.getAttribute("data-kontor") || "";
  var topic = script.getAttribute("data-tema") || "";
  var path = office ? "/innbygging/" + encodeURIComponent(office) + "/" : "/innbygging/tema/" + encodeURIComponent(topic) + "/";
  var src = origin + path + (office && topic ? "?tema=" + encodeURIComponent(topic) : "");
  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = script.getAttribute("data-tittel") || "Webinarer og kurs";
  frame.loading = "lazy";
  frame.setAttribute("width", "100%");
  frame.setAttribute("height", "600");
  frame.style.border = "0";
  frame.style.width = "100%";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "mhk-embed-height" && typeof data.height === "number" && data.height > 0) {
      frame.style.height = Math.min(data.height, 5000) + "px";
    }
  });
})();
