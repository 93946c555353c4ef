/* Agent console extension: the first-response target of waiting conversations (ADR 0051). Each list
 * item gets "due HH:MM (in N min)" or "overdue N min", from the payload's sla_due_at (an instant that
 * already counts business hours only), so the countdown is right between redraws without arithmetic
 * here. The list is already in time-left order (waiting first, longest waiting first). */
(function () {
  "use strict";
  var C = window.HypexConsole;
  var list = document.getElementById("agent-console-conversations");
  if (!C || !list) { return; }

  function minutes(ms) { return Math.max(1, Math.round(Math.abs(ms) / 60000)); }
  function decorate() {
    var conversations = C.conversations();
    observer.disconnect();
    Array.prototype.forEach.call(list.children, function (li) {
      var c = conversations[li.dataset.id];
      var old = li.querySelector(".agent-console-sla");
      var due = c ? c.sla_due_at : (old && old.dataset.slaDue);
      if (old) { old.remove(); }
      li.classList.remove("is-breached");
      if (!due || (c && c.state === "answered")) { return; }
      var left = Date.parse(due) - Date.now();
      var badge = document.createElement("span");
      badge.className = "agent-console-sla";
      badge.dataset.slaDue = due;
      if (left < 0) {
        li.classList.add("is-breached");
        badge.classList.add("is-breached");
        badge.textContent = " Overdue " + minutes(left) + " min";
      } else {
        badge.textContent = " Due " + C.when(due) + " (in " + minutes(left) + " min)";
      }
      (li.querySelector("a") || li).appendChild(badge);  // inside the item's link: clicking it opens too
    });
    observer.observe(list, { childList: true });
  }
  var observer = new MutationObserver(decorate);
  decorate();
  setInterval(decorate, 30000);
})();
