/* Agent-assisted basket in the console (ADR 0049): search the catalogue (the products API's search),
 * propose a variant or standalone product with a quantity, or a voucher code, over the conversation's
 * socket; follow each proposal's status and the shopper's basket live. Plain JavaScript; needs
 * agent-console.js (window.HypexConsole). */
(function () {
  "use strict";
  var C = window.HypexConsole;
  if (!C || !C.tools) { return; }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  var box = el("section", { class: "hx-propose", "aria-labelledby": "hx-propose-title", hidden: "" });
  box.appendChild(el("h3", { id: "hx-propose-title" }, "Suggest to the shopper"));
  var searchForm = el("form", { class: "hx-propose__search", role: "search" });
  searchForm.appendChild(el("label", { for: "hx-propose-q" }, "Search products"));
  var q = el("input", { id: "hx-propose-q", type: "search", maxlength: "100", autocomplete: "off" });
  var qty = el("input", { id: "hx-propose-qty", type: "number", min: "1", max: "999", value: "1", inputmode: "numeric" });
  var searchRow = el("div", { class: "hx-propose__row" });
  searchRow.appendChild(q); searchRow.appendChild(el("button", { type: "submit" }, "Search"));
  searchForm.appendChild(searchRow);
  var qtyRow = el("div", { class: "hx-propose__row" });
  qtyRow.appendChild(el("label", { for: "hx-propose-qty" }, "Quantity")); qtyRow.appendChild(qty);
  searchForm.appendChild(qtyRow);
  var results = el("ul", { class: "hx-propose__results", "aria-label": "Products found" });
  var voucherForm = el("form", { class: "hx-propose__voucher" });
  voucherForm.appendChild(el("label", { for: "hx-propose-voucher" }, "Voucher code"));
  var voucher = el("input", { id: "hx-propose-voucher", maxlength: "128", autocomplete: "off" });
  var voucherRow = el("div", { class: "hx-propose__row" });
  voucherRow.appendChild(voucher); voucherRow.appendChild(el("button", { type: "submit" }, "Propose voucher"));
  voucherForm.appendChild(voucherRow);
  var status = el("p", { class: "hx-propose__status", role: "status" });
  box.appendChild(searchForm); box.appendChild(results); box.appendChild(voucherForm); box.appendChild(status);
  box.appendChild(el("h3", {}, "Proposals"));
  var proposals = el("ul", { class: "hx-propose__list", "aria-live": "polite" });
  box.appendChild(proposals);
  box.appendChild(el("h3", {}, "Basket (live)"));
  var basket = el("ul", { id: "hx-propose-basket", class: "hx-propose__basket", "aria-live": "polite" });
  box.appendChild(basket);
  C.tools.appendChild(box);

  function say(text) { status.textContent = text || ""; }
  function quantity() { var n = parseInt(qty.value, 10); return n >= 1 && n <= 999 ? n : 1; }
  function propose(frame) {
    say(C.send(frame) ? "Proposed…" : "The conversation is not connected yet.");
  }
  function priceText(price) { return price && price.incl_tax ? price.incl_tax + " " + price.currency : (price && price.excl_tax ? price.excl_tax + " " + price.currency : ""); }
  function addResult(id, title, price, available, availability) {
    var li = el("li", { class: "hx-propose__result" });
    li.appendChild(el("span", {}, title + (price ? " · " + price : "") + " · " + (availability || (available ? "In stock" : "Out of stock"))));
    var button = el("button", { type: "button", "aria-label": "Propose " + title }, "Propose");
    button.disabled = !available;
    button.addEventListener("click", function () { propose({ type: "propose", product: id, quantity: quantity() }); });
    li.appendChild(button);
    results.appendChild(li);
  }
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = q.value.trim();
    if (!text) { return; }
    results.textContent = ""; say("Searching…");
    C.call("GET", "/api/v1/products/?q=" + encodeURIComponent(text)).then(function (data) {
      var cards = (data.results || []).slice(0, 8);
      say(cards.length ? "" : "Nothing found.");
      cards.forEach(function (card) {
        if (card.structure !== "parent") { addResult(card.id, card.title, priceText(card.price), card.is_available, card.availability); return; }
        C.call("GET", "/api/v1/products/" + card.id + "/").then(function (detail) {
          (detail.variants || []).forEach(function (v) { addResult(v.id, v.title, priceText(v.price), v.is_available, v.availability); });
        }).catch(function (error) { say(error.message); });
      });
    }).catch(function (error) { say(error.message); });
  });
  voucherForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = voucher.value.trim();
    if (code) { propose({ type: "propose", voucher_code: code }); voucher.value = ""; }
  });

  var rows = {};
  function showProposal(p) {
    var li = rows[p.id];
    if (!li) { li = rows[p.id] = el("li", { "data-proposal": String(p.id) }); proposals.appendChild(li); }
    li.textContent = "";
    li.dataset.status = p.status;
    var what = p.product ? p.quantity + " × " + p.product.title : "Voucher " + p.voucher_code;
    li.appendChild(el("span", {}, what + " - " + p.status));
    if (p.status === "proposed") {
      var withdraw = el("button", { type: "button", "aria-label": "Withdraw " + what }, "Withdraw");
      withdraw.addEventListener("click", function () { C.send({ type: "withdraw", proposal: p.id }); });
      li.appendChild(withdraw);
    }
  }
  function showBasket(lines) {
    basket.textContent = "";
    (lines.length ? lines : [{ empty: true }]).forEach(function (line) {
      basket.appendChild(el("li", {}, line.empty ? "-" : line.quantity + " × " + line.product + " (" + line.price + " " + line.currency + ")"));
    });
  }
  C.on("open", function () { box.hidden = false; proposals.textContent = ""; rows = {}; results.textContent = ""; say(""); });
  C.on("context", function (data) { showBasket(data.basket || []); });
  C.on("history", function (frame) { (frame.proposals || []).forEach(showProposal); });
  C.on("proposal", function (frame) { say(""); showProposal(frame.proposal); });
  C.on("error", function (frame) { say(frame.message); });
  C.on("console", function (frame) {
    if (frame.type === "basket" && frame.conversation === C.current()) { showBasket(frame.basket || []); }
  });
})();
