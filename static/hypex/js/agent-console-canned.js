/* Agent console: canned replies (ADR 0050), managed in the back office. The API fills their
 * placeholders for the open conversation; a click (or "/shortcut" then Tab in the reply box) puts the
 * text in the reply box to edit and send. Plain text only: set as the input's value. */
(function () {
  "use strict";
  var hc = window.HypexConsole;
  var input = document.getElementById("agent-console-input");
  if (!hc || !hc.tools || !input) { return; }
  var section = document.createElement("section");
  section.className = "agent-console-canned";
  section.setAttribute("aria-label", "Canned replies");
  section.hidden = true;
  var heading = document.createElement("h3");
  heading.textContent = "Canned replies";
  var list = document.createElement("ul");
  section.appendChild(heading); section.appendChild(list);
  hc.tools.appendChild(section);
  var replies = [];
  var openId = null;

  function insert(reply) {
    input.value = reply.body;
    input.focus();
    input.dispatchEvent(new Event("input"));
  }
  function draw() {
    list.textContent = "";
    section.hidden = !replies.length;
    replies.forEach(function (reply) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = reply.title;
      b.title = "/" + reply.shortcut + ": " + reply.body;
      b.addEventListener("click", function () { insert(reply); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || input.value.charAt(0) !== "/") { return; }
    var wanted = input.value.slice(1).trim();
    var found = replies.filter(function (r) { return r.shortcut === wanted; })[0];
    if (found) { event.preventDefault(); insert(found); }
  });
  hc.on("open", function (event) {
    openId = event.id;
    hc.call("GET", "/api/v1/support/canned-replies/?conversation=" + encodeURIComponent(event.id)).then(function (data) {
      if (openId === event.id) { replies = data; draw(); }
    }).catch(function () { replies = []; draw(); });
  });
})();
