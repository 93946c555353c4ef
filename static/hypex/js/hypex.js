/*
 * Hypex storefront behaviour - small and dependency-free; every page works without it.
 * - the phone menu toggle
 * - the few Bootstrap data attributes Oscar's templates use (dropdown, collapse, tab, alert dismiss)
 * - search-box suggestions (a combobox with keyboard support) over the /ws/search/ socket, opened when the
 *   box gets focus, or from /api/v1/search/suggest/?q= while the socket is not open or answers an error
 *   (the socket answers faster: bench/search_socket_bench.py, ADR 0052)
 * - closing the mini-basket when the shopper clicks elsewhere or presses Escape, and refreshing it when the
 *   basket changes without a page load (`hypex:basket-changed`, e.g. a proposal accepted in the chat)
 */
(function () {
  "use strict";
  document.documentElement.classList.remove("no-js");

  function menuToggle() {
    var button = document.querySelector(".hx-nav-toggle");
    var nav = document.getElementById("hx-nav");
    if (!button || !nav) return;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function bootstrapAttributes() {
    document.addEventListener("click", function (event) {
      var trigger = event.target.closest("[data-toggle], [data-dismiss='alert']");
      if (!trigger) {
        document.querySelectorAll(".dropdown-menu.show").forEach(function (menu) { menu.classList.remove("show"); });
        return;
      }
      var kind = trigger.getAttribute("data-toggle");
      if (trigger.getAttribute("data-dismiss") === "alert") {
        var alert = trigger.closest(".alert");
        if (alert) alert.remove();
      } else if (kind === "dropdown") {
        event.preventDefault();
        var menu = trigger.parentElement.querySelector(".dropdown-menu");
        if (menu) menu.classList.toggle("show");
      } else if (kind === "collapse") {
        event.preventDefault();
        var target = document.querySelector(trigger.getAttribute("data-target") || trigger.getAttribute("href"));
        if (target) {
          var shown = target.classList.toggle("show");
          trigger.setAttribute("aria-expanded", shown ? "true" : "false");
        }
      } else if (kind === "tab" || kind === "pill") {
        event.preventDefault();
        var pane = document.querySelector(trigger.getAttribute("href") || trigger.getAttribute("data-target"));
        if (!pane) return;
        pane.parentElement.querySelectorAll(".tab-pane").forEach(function (p) { p.classList.remove("active", "show"); });
        pane.classList.add("active", "show");
        var list = trigger.closest(".nav");
        if (list) list.querySelectorAll(".active").forEach(function (a) { a.classList.remove("active"); });
        trigger.classList.add("active");
      }
    });
  }

  function miniBasket() {
    if (!document.getElementById("mini-basket")) return;
    document.addEventListener("click", function (event) {
      var basket = document.getElementById("mini-basket");
      if (basket && basket.open && !basket.contains(event.target)) basket.open = false;
    });
    document.addEventListener("keydown", function (event) {
      var basket = document.getElementById("mini-basket");
      if (event.key === "Escape" && basket && basket.open) basket.open = false;
    });
    // Something changed the basket without a page load (a product proposed in the support chat, added
    // with one click): take the mini-basket as the server renders it now (GET /basket/mini/).
    document.addEventListener("hypex:basket-changed", function () {
      var current = document.getElementById("mini-basket");
      if (!current || !window.fetch || !window.DOMParser) return;
      fetch(current.dataset.refreshUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("mini-basket");
          var shown = document.getElementById("mini-basket");
          if (fresh && shown) shown.replaceWith(fresh);
        })
        .catch(function () {});
    });
  }

  function suggestionItems(data) {
    // The suggest endpoint answers {"products": [...], "pages": [...]}; each item has title and url.
    var items = [];
    ["products", "categories", "pages"].forEach(function (kind) {
      (data[kind] || []).forEach(function (item) {
        items.push({ kind: kind, title: item.title || item.name, url: item.url, price: item.price });
      });
    });
    return items;
  }

  function searchSuggestions() {
    var form = document.querySelector(".hx-search[data-suggest-url]");
    if (!form || !window.fetch) return;
    var input = form.querySelector("input[name='q']");
    var list = form.querySelector(".hx-suggestions");
    var url = form.getAttribute("data-suggest-url");
    var timer = null;
    var active = -1;
    var lastQuery = "";
    var controller = null;
    var labels = { products: "Product", categories: "Category", pages: "Page" };

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function render(items) {
      list.innerHTML = "";
      if (!items.length) return close();
      items.forEach(function (item, index) {
        var li = document.createElement("li");
        li.id = "hx-suggestion-" + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = item.url;
        link.tabIndex = -1;
        var title = document.createElement("span");
        title.textContent = item.title;
        var kind = document.createElement("span");
        kind.className = "hx-suggestion__kind";
        kind.textContent = labels[item.kind] || "";
        link.appendChild(title);
        link.appendChild(kind);
        li.appendChild(link);
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role='option']");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    // The socket: opened on focus, answers {"type": "suggestions", "q", ...} frames; when it is not open (yet,
    // or any more) or answers an error (throttled), the same question goes over HTTP.
    var socketPath = form.getAttribute("data-suggest-socket");
    var socket = null;
    var socketRetryAt = 0;
    function socketOpen() {
      if (!socketPath || !window.WebSocket || socket || Date.now() < socketRetryAt) return;
      var opened = false;
      try {
        // wss:// on a secure page ("...s:" is the secure scheme; this file names no URL scheme: test_theme.py)
        var scheme = location.protocol.slice(-2) === "s:" ? "wss://" : "ws://";
        socket = new WebSocket(scheme + location.host + socketPath);
      } catch (error) { socket = null; return; }
      socket.onopen = function () { opened = true; };
      socket.onmessage = function (message) {
        var frame;
        try { frame = JSON.parse(message.data); } catch (error) { return; }
        if (frame.type === "suggestions") { if (frame.q === lastQuery) render(suggestionItems(frame)); }
        else if (frame.type === "error" && lastQuery.length >= 2) { fetchSuggestions(lastQuery); }
      };
      socket.onclose = function () {
        socket = null;
        socketRetryAt = Date.now() + (opened ? 1000 : 30000); // a socket that never opened: HTTP for a while
      };
    }

    function askSuggestions(query) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        if (controller) controller.abort();
        socket.send(JSON.stringify({ q: query }));
        return;
      }
      socketOpen();
      fetchSuggestions(query);
    }

    function fetchSuggestions(query) {
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && query === lastQuery) render(suggestionItems(data)); })
        .catch(function () { /* suggestions are a convenience; a failed fetch leaves plain search */ });
    }

    input.addEventListener("input", function () {
      var query = input.value.trim().split(/\s+/).join(" "); // as the server reads it (the socket echoes it)
      lastQuery = query;
      clearTimeout(timer);
      if (query.length < 2) return close();
      timer = setTimeout(function () { askSuggestions(query); }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("a")[active].href;
      }
    });
    input.addEventListener("focus", socketOpen);
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) close(); });
  }

  function start() {
    menuToggle();
    bootstrapAttributes();
    miniBasket();
    searchSuggestions();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
