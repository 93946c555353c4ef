/* Agent console: act on the shopper's orders (ADR 0050). For each of the shopper's recent orders:
 * resend the confirmation, add a note, and - for agents with the Order manager role - cancel an unpaid
 * order or refund units of its lines, each after a confirm step. The API records every action on the
 * order and as a system message in the chat. Plain JavaScript, loaded after agent-console.js. */
(function () {
  "use strict";
  var hc = window.HypexConsole;
  if (!hc || !hc.tools) { return; }
  var api = "/api/v1/support/conversations/";
  var section = document.createElement("section");
  section.className = "agent-console-orders";
  section.setAttribute("aria-label", "Order actions");
  section.hidden = true;
  var heading = document.createElement("h3");
  heading.textContent = "Order actions";
  var status = document.createElement("p");
  status.className = "agent-console-orders-status";
  status.setAttribute("role", "status");
  var list = document.createElement("ul");
  section.appendChild(heading); section.appendChild(status); section.appendChild(list);
  hc.tools.appendChild(section);
  var loaded = { id: null, canManage: false };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }
  function button(text, onClick, className) {
    var node = el("button", text, className);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }
  function orderUrl(order, action) { return api + loaded.id + "/orders/" + encodeURIComponent(order.number) + "/" + action + "/"; }
  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return "console-" + window.crypto.randomUUID(); }
    return "console-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  // A refund carries an Idempotency-Key made when the agent confirmed it: a retried request (a double
  // click, a flaky network) refunds once and gets the first answer again.
  function postOnce(url, body, key) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json", "Content-Type": "application/json", "Idempotency-Key": key }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw new Error((data.error && data.error.message) || "Something went wrong."); }
        return data;
      });
    });
  }
  function act(order, action, body, done, key) {
    status.textContent = "Working…";
    var request = key ? postOnce(orderUrl(order, action), body, key) : hc.call("POST", orderUrl(order, action), body);
    return request.then(function (result) {
      status.textContent = result.message.body;
      load(loaded.id);
      if (done) { done(); }
    }).catch(function (error) { status.textContent = error.message; });
  }
  // A confirm step in place of the panel: what will happen, then "Yes" or "Back".
  function confirmStep(panel, question, yesText, onYes) {
    panel.textContent = "";
    panel.appendChild(el("p", question, "agent-console-orders-question"));
    var yes = button(yesText, function () { yes.disabled = true; onYes(); }, "agent-console-orders-danger");
    panel.appendChild(yes);
    panel.appendChild(button("Back", function () { panel.textContent = ""; }));
  }
  function noteForm(order, panel) {
    panel.textContent = "";
    var text = el("textarea");
    text.maxLength = 2000; text.rows = 3; text.setAttribute("aria-label", "Note for order " + order.number);
    panel.appendChild(text);
    panel.appendChild(button("Add note", function () {
      if (text.value.trim()) { act(order, "notes", { message: text.value }, function () { panel.textContent = ""; }); }
    }));
    panel.appendChild(button("Back", function () { panel.textContent = ""; }));
    text.focus();
  }
  function refundForm(order, panel) {
    panel.textContent = "";
    var inputs = [];
    order.lines.forEach(function (line) {
      var label = el("label", line.title + " (" + line.quantity + " bought, " + (line.price || "") + " " + order.currency + ") ");
      var qty = el("input");
      qty.type = "number"; qty.min = "0"; qty.max = String(line.quantity); qty.value = "0";
      qty.setAttribute("aria-label", "Units of " + line.title + " to refund");
      label.appendChild(qty);
      panel.appendChild(label);
      inputs.push({ line: line, input: qty });
    });
    var reason = el("input");
    reason.maxLength = 500; reason.placeholder = "Reason"; reason.setAttribute("aria-label", "Refund reason");
    panel.appendChild(reason);
    panel.appendChild(button("Refund…", function () {
      var lines = inputs.map(function (i) { return { line: i.line.id, quantity: parseInt(i.input.value, 10) || 0, title: i.line.title }; })
        .filter(function (l) { return l.quantity > 0; });
      if (!lines.length) { status.textContent = "Choose how many units to refund."; return; }
      var what = lines.map(function (l) { return l.quantity + " × " + l.title; }).join(", ");
      var reasonText = reason.value;
      var key = newKey();
      confirmStep(panel, "Refund " + what + " on order " + order.number + "? The money goes back to the shopper.", "Yes, refund", function () {
        act(order, "refund", { lines: lines.map(function (l) { return { line: l.line, quantity: l.quantity }; }), reason: reasonText }, null, key);
      });
    }));
    panel.appendChild(button("Back", function () { panel.textContent = ""; }));
  }
  function draw(data) {
    list.textContent = "";
    loaded.canManage = data.can_manage_orders;
    if (!data.orders.length) { list.appendChild(el("li", "No orders.")); }
    data.orders.forEach(function (order) {
      var li = el("li", null, "agent-console-order");
      li.dataset.number = order.number;
      li.appendChild(el("p", order.number + " · " + order.status + " · " + order.total + " " + order.currency));
      var buttons = el("div", null, "agent-console-order-buttons");
      var panel = el("div", null, "agent-console-order-panel");
      buttons.appendChild(button("Resend confirmation", function () { act(order, "resend-confirmation"); }));
      buttons.appendChild(button("Add note", function () { noteForm(order, panel); }));
      if (data.can_manage_orders && order.unpaid) {
        buttons.appendChild(button("Cancel order", function () {
          confirmStep(panel, "Cancel unpaid order " + order.number + "? Its stock is released.", "Yes, cancel", function () { act(order, "cancel", {}); });
        }));
      }
      if (data.can_manage_orders && !order.unpaid && order.status !== "Cancelled" && order.status !== "Refunded") {
        buttons.appendChild(button("Refund", function () { refundForm(order, panel); }));
      }
      li.appendChild(buttons);
      li.appendChild(panel);
      list.appendChild(li);
    });
  }
  function load(id) {
    return hc.call("GET", api + id + "/orders/").then(function (data) {
      if (id === loaded.id) { section.hidden = false; draw(data); }
    }).catch(function (error) { status.textContent = error.message; });
  }
  hc.on("open", function (event) { loaded.id = event.id; status.textContent = ""; list.textContent = ""; load(event.id); });
})();
