// Small progressive enhancements; every page works without them.
(function () {
  // A page's primary action (webinars/_session_page.html, courses/_course_page.html) sits near
  // the top and, on a phone, in a bar fixed to the bottom of the screen. Without JavaScript
  // the bar is always there; here it hides while the action near the top is in view.
  var bar = document.querySelector("[data-sticky-action]");
  var top = document.querySelector("[data-primary-action]");
  if (bar && top && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      bar.hidden = entries[0].isIntersecting;
    }).observe(top);
  }
})();
