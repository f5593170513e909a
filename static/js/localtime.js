// Progressive enhancement: where the visitor's browser is in another time zone than
// the one a time is shown in, add the visitor's local time beside it.
(function () {
  var browserZone;
  try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var lang = document.documentElement.lang === "en" ? "en-GB" : "nb-NO";
  document.querySelectorAll("time[data-zone]").forEach(function (el) {
    if (!browserZone || el.dataset.zone === browserZone) return;
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    var text = new Intl.DateTimeFormat(lang, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    }).format(when);
    var span = document.createElement("span");
    span.className = "local-time small ms-1";
    span.textContent = "(" + (el.dataset.localLabel || "") + " " + text + ")";
    el.after(span);
  });
})();
