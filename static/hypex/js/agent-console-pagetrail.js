/* Agent console: where the shopper is now (ADR 0050). The page they are on and the pages before it,
 * with times: from the conversation socket's `history` frame when it connects, then live from its
 * `page` frames. Plain JavaScript, loaded after agent-console.js. */
(function () {
  "use strict";
  var hc = window.HypexConsole;
  if (!hc || !hc.tools) { return; }
  var section = document.createElement("section");
  section.className = "agent-console-pagetrail";
  section.setAttribute("aria-label", "Where the shopper is");
  section.hidden = true;
  var heading = document.createElement("h3");
  heading.textContent = "Where the shopper is";
  var now = document.createElement("p");
  now.className = "agent-console-pagetrail-now";
  var list = document.createElement("ol");
  list.className = "agent-console-pagetrail-list";
  section.appendChild(heading); section.appendChild(now); section.appendChild(list);
  hc.tools.appendChild(section);
  var openId = null;

  function link(page) {
    var a = document.createElement("a");
    a.href = page.url; // a path on this shop: the server takes nothing else
    a.target = "_blank";
    a.rel = "noopener";
    a.textContent = page.title || page.url;
    a.title = page.url;
    return a;
  }
  function draw(trail) {
    section.hidden = false;
    now.textContent = "";
    list.textContent = "";
    if (!trail.length) { now.textContent = "No page reported yet."; return; }
    now.appendChild(document.createTextNode("Now on: "));
    now.appendChild(link(trail[0]));
    trail.slice(1).forEach(function (page) {
      var li = document.createElement("li");
      var time = document.createElement("time");
      time.className = "agent-console-time";
      time.dateTime = page.visited_at;
      time.textContent = hc.when(page.visited_at);
      li.appendChild(time);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link(page));
      list.appendChild(li);
    });
    var time = document.createElement("time");
    time.className = "agent-console-time";
    time.dateTime = trail[0].visited_at;
    time.textContent = " " + hc.when(trail[0].visited_at);
    now.appendChild(time);
  }
  hc.on("open", function (event) {
    openId = event.id;
    section.hidden = true;
  });
  // The socket's history frame carries the trail as read after it joined the conversation, so a page
  // reported while the console was opening (or while a dropped socket was away) is never missed.
  hc.on("history", function (frame) { if (openId === hc.current() && frame.pages) { draw(frame.pages); } });
  hc.on("page", function (frame) { if (openId === hc.current()) { draw(frame.trail); } });
})();
