/* Support widget extension: after a conversation closes, a card to rate it 1-5 with an optional
 * comment (frame {"type": "rate", "score", "comment"}; REST .../rating/ when the socket is away).
 * Rating again replaces the rating (ADR 0051). Plain JavaScript. */
(function () {
  "use strict";
  var S = window.HypexSupport;
  if (!S) { return; }
  var card = null;

  function thank(rating) {
    if (!card) { return; }
    card.textContent = "";
    card.appendChild(S.el("p", { class: "hypex-support-rating-done", role: "status" },
      "Thank you: you rated us " + rating.score + " out of 5."));
  }
  function showCard() {
    if (card && card.isConnected) { return; }
    card = S.el("li", { class: "hypex-support-rating" });
    var form = S.el("form", { "aria-label": "Rate this conversation" });
    var legend = S.el("p", {}, "How did we do?");
    var stars = S.el("div", { class: "hypex-support-rating-scores", role: "radiogroup", "aria-label": "Score from 1 to 5" });
    var chosen = 0;
    [1, 2, 3, 4, 5].forEach(function (score) {
      var button = S.el("button", { type: "button", "aria-pressed": "false", "aria-label": score + " out of 5", "data-score": String(score) }, String(score));
      button.addEventListener("click", function () {
        chosen = score;
        Array.prototype.forEach.call(stars.children, function (b) { b.setAttribute("aria-pressed", String(Number(b.dataset.score) === score)); });
      });
      stars.appendChild(button);
    });
    var comment = S.el("textarea", { maxlength: "1000", rows: "2", placeholder: "Anything to add? (optional)", "aria-label": "Comment" });
    var submit = S.el("button", { type: "submit" }, "Send rating");
    form.appendChild(legend); form.appendChild(stars); form.appendChild(comment); form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!chosen) { S.say("Pick a score from 1 to 5."); return; }
      var frame = { type: "rate", score: chosen, comment: comment.value };
      if (!S.send(frame)) {
        S.request("POST", "/api/v1/support/conversations/" + S.conversationId() + "/rating/", { score: chosen, comment: comment.value })
          .then(thank).catch(function (error) { S.say(error.message); });
      }
    });
    card.appendChild(form);
    S.append(card);
  }
  S.on("closed", showCard);
  S.on("history", function (frame) { if (frame.conversation && frame.conversation.status === "closed") { showCard(); } });
  S.on("rated", function (frame) { thank(frame.rating); });
  S.on("reopened", function () { if (card) { card.remove(); card = null; } });
})();
