/* Hypex support chat widget: plain JavaScript, no dependencies, no CDN.
 * Talks to /api/v1/support/ (session cookie + CSRF) and ws/support/<id>/. */
(function () {
  "use strict";
  var root = document.getElementById("hypex-support");
  if (!root || !window.fetch || !window.WebSocket) { return; }
  var api = "/api/v1/support/";
  var storeKey = "hypex.support.conversation";
  var state = { id: null, socket: null, lastId: 0, retry: 0, typingSent: 0, closed: false, heartbeat: null };
  var signedIn = root.dataset.signedIn === "1";
  // Extensions (static/hypex/js/support-widget-*.js, loaded after this file) listen for frames by type
  // and for "connected" (the conversation's socket is open) through window.HypexSupport.on.
  var listeners = {};
  function emit(type, payload) { (listeners[type] || []).forEach(function (fn) { fn(payload); }); }
  var timeZone = root.dataset.timeZone || undefined;
  var lang = document.documentElement.lang || undefined;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }
  // A multipart POST (an image attachment): the browser sets the Content-Type with its boundary.
  function upload(url, form) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }, body: form
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { var error = new Error((data.error && data.error.message) || "The image could not be sent."); error.status = response.status; throw error; }
        return data;
      });
    });
  }
  function request(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { var error = new Error((data.error && data.error.message) || "Something went wrong."); error.status = response.status; throw error; }
        return data;
      });
    });
  }

  var toggle = el("button", { type: "button", class: "hypex-support-toggle", "aria-expanded": "false", "aria-controls": "hypex-support-panel" }, "Help");
  var panel = el("section", { id: "hypex-support-panel", class: "hypex-support-panel", hidden: "", "aria-label": "Support chat" });
  var header = el("header", { class: "hypex-support-header" });
  var close = el("button", { type: "button", class: "hypex-support-close" }, "Close");
  var notice = el("p", { class: "hypex-support-notice", role: "status" });
  var log = el("ol", { class: "hypex-support-log", "aria-live": "polite" });
  var typing = el("p", { class: "hypex-support-typing", hidden: "" }, "Support is typing…");
  var startForm = el("form", { class: "hypex-support-start" });
  var subject = el("input", { name: "subject", required: "", maxlength: "200", placeholder: "Subject", "aria-label": "Subject" });
  var firstBody = el("textarea", { name: "body", required: "", maxlength: "2000", rows: "3", placeholder: "Your question", "aria-label": "Your question" });
  var email = el("input", { name: "guest_email", type: "email", placeholder: "Your email", "aria-label": "Your email" });
  var startButton = el("button", { type: "submit" }, "Start chat");
  var sendForm = el("form", { class: "hypex-support-send", hidden: "" });
  var input = el("input", { name: "message", maxlength: "2000", autocomplete: "off", placeholder: "Write a message", "aria-label": "Message" });
  var sendButton = el("button", { type: "submit" }, "Send");
  // An image for the conversation (JPEG, PNG, GIF or WebP; the API checks it: support.services.attachment_validate).
  var file = el("input", { type: "file", accept: "image/jpeg,image/png,image/gif,image/webp", class: "hypex-support-file", hidden: "", "aria-hidden": "true", tabindex: "-1" });
  var attach = el("button", { type: "button", class: "hypex-support-attach", "aria-label": "Send an image", title: "Send an image" }, "Image");
  var reopen = el("button", { type: "button", class: "hypex-support-reopen", hidden: "" }, "Reopen conversation");

  if (root.dataset.productTitle) { subject.value = "About " + root.dataset.productTitle; }
  if (root.dataset.orderNumber) { subject.value = "About order " + root.dataset.orderNumber; }
  startForm.appendChild(subject); startForm.appendChild(firstBody);
  if (!signedIn) { email.required = true; startForm.appendChild(email); }
  startForm.appendChild(startButton);
  sendForm.appendChild(attach); sendForm.appendChild(file); sendForm.appendChild(input); sendForm.appendChild(sendButton);
  header.appendChild(el("span", {}, "Talk to us")); header.appendChild(close);
  [header, notice, log, typing, startForm, sendForm, reopen].forEach(function (node) { panel.appendChild(node); });
  root.appendChild(toggle); root.appendChild(panel);

  // On a phone a floating launcher sits over the page's own buttons (Add to basket, the basket's totals,
  // Continue) whatever the page does: there the Help button docks into the header bar instead (the
  // storefront's and checkout's), and the panel opens as a sheet along the bottom of the screen.
  var dock = document.querySelector(".hx-header__bar");
  var phone = window.matchMedia ? window.matchMedia("(max-width: 767.98px)") : null;
  function place() {
    var docked = !!(dock && phone && phone.matches);
    root.classList.toggle("is-docked", docked);
    if (docked) { dock.appendChild(toggle); } else { root.insertBefore(toggle, panel); }
  }
  place();
  if (phone && phone.addEventListener) { phone.addEventListener("change", place); }

  function say(text) { notice.textContent = text || ""; }
  // Message times arrive as aware UTC (ISO 8601) and are shown in the shop's time zone.
  function when(iso) {
    var options = { hour: "2-digit", minute: "2-digit", timeZone: timeZone };
    var date = new Date(iso);
    if (new Date().toDateString() !== date.toDateString()) { options.day = "numeric"; options.month = "short"; }
    try { return new Intl.DateTimeFormat(lang, options).format(date); }
    catch (error) { options.timeZone = undefined; return new Intl.DateTimeFormat(lang, options).format(date); }
  }
  // An attached image shows inline as a thumbnail that opens the full image; a plain link if it fails to load.
  function attachmentNode(message) {
    var link = el("a", { href: message.attachment, target: "_blank", rel: "noopener", class: "hypex-support-attachment" });
    var image = el("img", { src: message.attachment, alt: "Image from " + message.author, loading: "lazy", class: "hypex-support-thumb" });
    image.addEventListener("error", function () { link.textContent = "Open the image"; });
    image.addEventListener("load", function () { log.scrollTop = log.scrollHeight; });
    link.appendChild(image);
    return link;
  }
  function render(message) {
    if (message.id <= state.lastId) { return; }
    state.lastId = message.id;
    var item = el("li", { class: "hypex-support-message hypex-support-" + message.role, "data-id": String(message.id) });
    if (message.created_at) { item.appendChild(el("time", { class: "hypex-support-time", datetime: message.created_at }, when(message.created_at))); }
    item.appendChild(el("strong", {}, message.author + ": "));
    item.appendChild(document.createTextNode(message.body));
    if (message.attachment) { item.appendChild(attachmentNode(message)); }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (message.role === "agent" && !panel.hidden) { send({ type: "read", up_to: message.id }); }
  }
  function send(frame) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) { state.socket.send(JSON.stringify(frame)); return true; }
    return false;
  }
  // The widget's views; exactly one of the start form, the message box and "Reopen" shows (none while a
  // saved conversation is loading), so the start form and the message box never show together.
  function setView(view) {
    startForm.hidden = view !== "start";
    sendForm.hidden = view !== "chat";
    reopen.hidden = view !== "closed";
    state.closed = view === "closed";
    panel.setAttribute("data-view", view);
  }
  function showChat(closed) { setView(closed ? "closed" : "chat"); }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/support/" + state.id + "/?after=" + state.lastId);
    var id = state.id;
    state.socket = socket;
    socket.onopen = function () {
      emit("connected", { id: state.id });
      state.retry = 0;
      clearInterval(state.heartbeat);
      state.heartbeat = setInterval(function () { send({ type: "ping" }); }, 30000);
    };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "history") { frame.messages.forEach(render); showChat(frame.conversation.status === "closed"); }
      else if (frame.type === "message") { typing.hidden = true; render(frame.message); }
      else if (frame.type === "typing" && frame.role === "agent") { typing.hidden = false; setTimeout(function () { typing.hidden = true; }, 3000); }
      else if (frame.type === "agent_joined") { say(frame.agent + " joined the conversation."); }
      else if (frame.type === "agent_left") { say(frame.agent + " left the conversation."); }
      else if (frame.type === "closed") { say("This conversation is closed."); showChat(true); }
      else if (frame.type === "reopened") { say(""); showChat(false); }
      else if (frame.type === "error") { say(frame.message); }
      emit(frame.type, frame);
    };
    socket.onclose = function (event) {
      clearInterval(state.heartbeat);
      if (state.socket !== socket) { return; } // a socket of a conversation already left
      if ([4401, 4403, 4404].indexOf(event.code) !== -1) { forget(); return; }
      state.retry = Math.min(state.retry + 1, 6);
      // A browser sees a refused handshake as 1006, not 4404: ask the API whether the conversation is still ours.
      setTimeout(function () {
        if (state.id !== id) { return; }
        request("GET", api + "conversations/" + id + "/").then(function () { if (state.id === id) { connect(); } })
          .catch(function (error) {
            if (state.id !== id) { return; }
            if ([401, 403, 404].indexOf(error.status) !== -1) { forget(); } else { connect(); }
          });
      }, 500 * Math.pow(2, state.retry));
    };
  }
  function forget() {
    localStorage.removeItem(storeKey);
    var socket = state.socket;
    state.id = null; state.lastId = 0; state.socket = null; log.textContent = "";
    clearInterval(state.heartbeat);
    if (socket && socket.readyState <= WebSocket.OPEN) { socket.onclose = null; socket.close(); }
    typing.hidden = true;
    setView("start");
  }
  function checkAgents() {
    request("GET", api + "status/").then(function (data) {
      if (!data.agents_online) { say("No one is online right now: write to us and we will answer by email."); }
    }).catch(function () {});
  }

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    document.documentElement.classList.toggle("hypex-support-open", open);
    cover();
    if (open) {
      checkAgents();
      var target = { start: subject, chat: input, closed: reopen }[panel.getAttribute("data-view")] || close;
      target.focus();
    }
  }
  // How much of the window's bottom the open panel covers, as room below the page's end (hypex.css).
  function cover() {
    var covered = panel.hidden ? 0 : Math.max(0, window.innerHeight - panel.getBoundingClientRect().top);
    document.documentElement.style.setProperty("--hypex-support-cover", Math.ceil(covered) + "px");
  }
  window.addEventListener("resize", cover);
  if (window.ResizeObserver) { new ResizeObserver(cover).observe(panel); }
  toggle.addEventListener("click", function () { setOpen(panel.hidden); });
  // The panel closes from inside too: on a phone the Help button in the header may be scrolled away.
  function closePanel() { setOpen(false); toggle.focus({ preventScroll: true }); }
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") { closePanel(); } });
  startForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = { subject: subject.value, body: firstBody.value };
    if (!signedIn) { body.guest_email = email.value; }
    if (root.dataset.productId) { body.product = Number(root.dataset.productId); }
    if (root.dataset.orderNumber) { body.order = root.dataset.orderNumber; }
    startButton.disabled = true;
    request("POST", api + "conversations/", body).then(function (conversation) {
      state.id = conversation.id;
      localStorage.setItem(storeKey, String(conversation.id));
      say("");
      showChat(conversation.status === "closed");
      connect();
    }).catch(function (error) { say(error.message); setView("start"); }).then(function () { startButton.disabled = false; });
  });
  sendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = input.value.trim();
    if (!body) { return; }
    if (send({ type: "message", body: body })) { input.value = ""; }
    else {
      request("POST", api + "conversations/" + state.id + "/messages/", { body: body })
        .then(function () { input.value = ""; }).catch(function (error) { say(error.message); });
    }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (now - state.typingSent > 2000) { state.typingSent = now; send({ type: "typing" }); }
  });
  attach.addEventListener("click", function () { file.click(); });
  file.addEventListener("change", function () {
    var chosen = file.files && file.files[0];
    if (!chosen || !state.id) { return; }
    var form = new FormData();
    form.append("attachment", chosen);
    if (input.value.trim()) { form.append("body", input.value.trim()); }
    attach.disabled = true;
    say("Sending the image…");
    upload(api + "conversations/" + state.id + "/messages/", form).then(function (message) {
      input.value = ""; say(""); render(message); // the socket's copy of it is skipped by its id
    }).catch(function (error) { say(error.message); }).then(function () { attach.disabled = false; file.value = ""; });
  });
  reopen.addEventListener("click", function () {
    request("POST", api + "conversations/" + state.id + "/reopen/").catch(function (error) { say(error.message); });
  });

  window.HypexSupport = {
    on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    send: send, request: request, upload: upload, el: el, say: say, when: when,
    root: root, panel: panel, log: log, sendForm: sendForm, startForm: startForm,
    conversationId: function () { return state.id; },
    // A node (a card, a rating form) shown in the conversation's log, below the messages so far.
    append: function (node) { log.appendChild(node); log.scrollTop = log.scrollHeight; }
  };

  var saved = localStorage.getItem(storeKey);
  if (saved) {
    setView("loading");
    request("GET", api + "conversations/" + saved + "/").then(function (conversation) {
      state.id = conversation.id;
      showChat(conversation.status === "closed");
      connect();
    }).catch(function (error) {
      if ([401, 403, 404].indexOf(error.status) !== -1) { forget(); return; } // gone, or not this visitor's
      // The API did not answer (offline, 5xx): keep the saved conversation for the next page, start afresh here.
      say("Your conversation could not be loaded just now.");
      setView("start");
    });
  } else {
    setView("start");
  }
})();
