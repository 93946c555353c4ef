/* Live order pages: the order page, the guest's status page and the order list follow `ws/orders/`
 * (support/consumers.py OrdersConsumer) and update the status and the delivery section in place.
 *
 * Markup (server-rendered, correct without this script):
 *   [data-order-live]                 the container; data-order-number (one order) and, on the guest's
 *                                     page, data-order-key (the signed key its link carries)
 *   [data-order-status="<number>"]    an element showing that order's status
 *   [data-order-tracking="<number>"]  the delivery section (templates/order/partials/tracking.html)
 * Reconnects with back-off (1 s doubling to 60 s, with jitter) after any close. */
(function () {
  "use strict";

  var live = document.querySelector("[data-order-live]");
  if (!live || !window.WebSocket) return;
  var number = live.getAttribute("data-order-number") || "";
  var key = live.getAttribute("data-order-key") || "";

  // Oscar's own status paragraph (the first heading's paragraph) gets the marker the script updates.
  if (number && live.hasAttribute("data-order-status-first")) {
    var first = live.querySelector("h2 + p, .sub-header + p");
    if (first && !first.hasAttribute("data-order-status")) first.setAttribute("data-order-status", number);
  }
  Array.prototype.forEach.call(live.querySelectorAll("[data-order-status]"), function (el) {
    el.setAttribute("aria-live", "polite");
  });

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function attr(value) {
    return '"' + String(value).replace(/["\\]/g, "\\$&") + '"';
  }

  function showStatus(order) {
    if (!order || typeof order.status !== "string") return;
    each("[data-order-status=" + attr(order.number) + "]", function (el) {
      if (el.textContent === order.status) return;
      el.textContent = order.status;
      el.classList.remove("hypex-order-live--changed");
      void el.offsetWidth; // restart the highlight
      el.classList.add("hypex-order-live--changed");
    });
  }

  function when(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    return date.toLocaleString(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
  }

  function showTracking(order) {
    if (!order || !Array.isArray(order.shipping_events)) return;
    each("[data-order-tracking=" + attr(order.number) + "]", function (section) {
      var list = section.querySelector(".hypex-tracking__events");
      var none = section.querySelector(".hypex-tracking__none");
      if (!list) return;
      list.textContent = "";
      order.shipping_events.forEach(function (event) {
        var item = document.createElement("li");
        var time = document.createElement("time");
        time.setAttribute("datetime", event.created_at || "");
        time.textContent = when(event.created_at);
        var name = document.createElement("strong");
        name.textContent = event.type || "";
        item.appendChild(time);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(name);
        if (event.carrier) item.appendChild(document.createTextNode(" · " + event.carrier));
        if (event.tracking_number) {
          item.appendChild(document.createTextNode(" · tracking number "));
          var tracking = document.createElement("span");
          tracking.className = "hypex-tracking__number";
          tracking.textContent = event.tracking_number;
          item.appendChild(tracking);
        }
        list.appendChild(item);
      });
      list.hidden = order.shipping_events.length === 0;
      if (none) none.hidden = order.shipping_events.length > 0;
    });
  }

  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws/orders/";
  if (number) url += "?order=" + encodeURIComponent(number) + (key ? "&key=" + encodeURIComponent(key) : "");
  var delay = 1000;

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () {
      delay = 1000;
      live.setAttribute("data-order-live-state", "open");
    };
    socket.onmessage = function (message) {
      var frame;
      try {
        frame = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (frame.type === "order_status" || frame.type === "order_tracking") showStatus(frame.order);
      if (frame.type === "order_tracking") showTracking(frame.order);
    };
    socket.onclose = function () {
      live.setAttribute("data-order-live-state", "closed");
      var wait = delay + Math.random() * delay * 0.3;
      delay = Math.min(delay * 2, 60000);
      window.setTimeout(connect, wait);
    };
  }

  connect();
})();
