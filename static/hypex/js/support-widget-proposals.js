/* Basket proposals in the support widget (ADR 0049): an agent's proposed product or voucher shows as a
 * card in the chat with "Add to basket" and "No thanks". Accepting goes over REST, not the socket: the
 * request carries the basket cookie (and a guest's new basket gets one back), so the proposal lands in
 * the very basket this browser's pages use. Plain JavaScript; needs support-widget.js (window.HypexSupport). */
(function () {
  "use strict";
  var S = window.HypexSupport;
  if (!S) { return; }
  var cards = {};
  var statusText = { accepted: "Added to your basket.", declined: "You declined this.", withdrawn: "Withdrawn by support." };

  function url(proposal, action) {
    return "/api/v1/support/conversations/" + proposal.conversation + "/proposals/" + proposal.id + "/" + action + "/";
  }
  function build(proposal) {
    var card = S.el("li", { class: "hx-proposal", "data-proposal": String(proposal.id), "aria-label": "Suggestion from support" });
    var body = S.el("div", { class: "hx-proposal__body" });
    var p = proposal.product;
    if (p) {
      if (p.image) { card.appendChild(S.el("img", { class: "hx-proposal__image", src: p.image, alt: "", width: "64", height: "64" })); }
      var title = S.el("a", { class: "hx-proposal__title", href: p.url }, (proposal.quantity > 1 ? proposal.quantity + " × " : "") + p.title);
      body.appendChild(title);
      if (p.price) { body.appendChild(S.el("p", { class: "hx-proposal__price" }, p.price + " " + (p.currency || ""))); }
      body.appendChild(S.el("p", { class: "hx-proposal__stock" + (p.in_stock ? "" : " is-out") }, p.availability || (p.in_stock ? "In stock" : "Out of stock")));
    } else {
      body.appendChild(S.el("p", { class: "hx-proposal__title" }, "Voucher " + proposal.voucher_code));
    }
    var actions = S.el("div", { class: "hx-proposal__actions" });
    var accept = S.el("button", { type: "button", class: "hx-proposal__accept" }, p ? "Add to basket" : "Apply voucher");
    var decline = S.el("button", { type: "button", class: "hx-proposal__decline" }, "No thanks");
    var state = S.el("p", { class: "hx-proposal__state", role: "status" });
    actions.appendChild(accept); actions.appendChild(decline);
    body.appendChild(actions); body.appendChild(state);
    card.appendChild(body);
    function act(action, button) {
      accept.disabled = decline.disabled = true;
      S.request("POST", url(proposal, action)).then(function (answered) {
        update(answered);
        // after the answer, which carries a guest's new basket cookie: the header's mini-basket refreshes
        if (answered.status === "accepted") { document.dispatchEvent(new CustomEvent("hypex:basket-changed")); }
      }).catch(function (error) {
        state.textContent = error.message; accept.disabled = decline.disabled = false; button.focus();
      });
    }
    accept.addEventListener("click", function () { act("accept", accept); });
    decline.addEventListener("click", function () { act("decline", decline); });
    card._parts = { actions: actions, state: state };
    return card;
  }
  function update(proposal) {
    var card = cards[proposal.id];
    if (!card) { card = cards[proposal.id] = build(proposal); S.append(card); }
    card.dataset.status = proposal.status;
    var open = proposal.status === "proposed";
    card._parts.actions.hidden = !open;
    if (!open) { card._parts.state.textContent = statusText[proposal.status] || proposal.status; }
  }
  S.on("history", function (frame) { (frame.proposals || []).forEach(update); });
  S.on("proposal", function (frame) { update(frame.proposal); });
})();
