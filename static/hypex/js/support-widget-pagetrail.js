/* Support widget: tell support which page the shopper is on (ADR 0050), on connect - which happens on
 * every page load while a conversation is saved - and on reopening, only while the conversation is
 * open. Sends the path and query on this shop (never another address) and the page title, cut to the
 * server's limits. Plain JavaScript, loaded after support-widget.js. */
(function () {
  "use strict";
  var hs = window.HypexSupport;
  if (!hs) { return; }
  function report() {
    var url = (location.pathname + location.search).slice(0, 500);
    var title = (document.title || "").replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 200);
    hs.send({ type: "page", url: url, title: title });
  }
  hs.on("history", function (frame) {
    if (frame.conversation && frame.conversation.status !== "closed") { report(); }
  });
  hs.on("reopened", report);
})();
