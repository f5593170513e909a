// Loaded in <head>, before the page is drawn: marks that scripts run, so the CSS can
// collapse what the scripts open (the menu, the filters) and show what only works with
// them. Without JavaScript the class stays "no-js" and everything is shown open.
document.documentElement.classList.replace("no-js", "js");
