/* The agent console: live list of conversations (ws/support/agents/), one chat (ws/support/<id>/),
 * and the shopper's context (REST). Plain JavaScript. */
(function () {
  "use strict";
  var root = document.getElementById("agent-console");
  if (!root) { return; }
  var api = "/api/v1/support/conversations/";
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var conversations = {};
  var current = { id: null, socket: null, lastId: 0, retry: 0, retryTimer: null };
  var list = document.getElementById("agent-console-conversations");
  var live = root.querySelector(".agent-console-live");
  var log = document.getElementById("agent-console-log");
  var subject = document.getElementById("agent-console-subject");
  var form = document.getElementById("agent-console-send");
  var input = document.getElementById("agent-console-input");
  var typing = document.getElementById("agent-console-typing");
  var context = document.getElementById("agent-console-context");
  var assign = document.getElementById("agent-console-assign");
  var closeButton = document.getElementById("agent-console-close");
  var stateBadge = document.getElementById("agent-console-state");
  // States as the server derives them (support.selectors): waiting, answered, closed.
  var stateLabels = JSON.parse((document.getElementById("agent-console-states") || {}).textContent || "{}");
  var tools = document.getElementById("agent-console-tools");
  // Extensions (static/hypex/js/agent-console-*.js, loaded after this file) listen through
  // window.HypexConsole.on: "open" (a conversation was opened: {id}), "context" (its shopper context
  // loaded), "console" (a frame of the console socket), and any frame type of the conversation socket.
  var listeners = {};
  function emit(type, payload) { (listeners[type] || []).forEach(function (fn) { fn(payload); }); }
  var timeZone = root.dataset.timeZone || undefined;
  var lang = document.documentElement.lang || undefined;

  // Times arrive as aware UTC (ISO 8601); they are shown in the shop's time zone.
  function when(iso) {
    if (!iso) { return ""; }
    var options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: timeZone };
    try { return new Intl.DateTimeFormat(lang, options).format(new Date(iso)); }
    catch (error) { options.timeZone = undefined; return new Intl.DateTimeFormat(lang, options).format(new Date(iso)); }
  }
  function timeElement(iso) {
    var node = document.createElement("time");
    node.className = "agent-console-time";
    node.dateTime = iso || "";
    node.textContent = when(iso);
    return node;
  }
  function stateOf(c) { return c.state || (c.status === "closed" ? "closed" : "waiting"); }
  function showState(c) {
    if (!stateBadge || !c) { return; }
    var value = stateOf(c);
    stateBadge.hidden = false;
    stateBadge.className = "state state-" + value;
    stateBadge.textContent = stateLabels[value] || value;
  }

  function csrf() { var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  // A JSON call to the API; resolves with the body, rejects with an Error carrying the API's message.
  function call(method, url, body) {
    var headers = { "X-CSRFToken": csrf(), "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { var error = new Error((data.error && data.error.message) || "Something went wrong."); error.status = r.status; error.data = data; throw error; }
          return data;
        });
      });
  }
  function waited(since) {
    if (!since) { return ""; }
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 60000));
    return " · waiting " + minutes + " min";
  }
  // Each conversation is a link to ?conversation=<id> (the page opens it on load), so one clicked before
  // this script or the console socket's snapshot arrived still opens, and a keyboard reaches it. Once
  // the script runs, one listener on the list opens it in place (a modified click opens a new tab).
  var drawn = null;
  function drawList() {
    var items = Object.keys(conversations).map(function (k) { return conversations[k]; })
      .filter(function (c) { return stateOf(c) !== "closed"; })
      .sort(function (a, b) { return (stateOf(a) === "waiting" ? 0 : 1) - (stateOf(b) === "waiting" ? 0 : 1) || (Date.parse(a.waiting_since || a.last_message_at) - Date.parse(b.waiting_since || b.last_message_at)); });
    // The list is redrawn on every frame and every 15 s: when no item changed (any field, or its
    // minutes waiting), the items are left in place, so a click is never split between an item and its
    // replacement (and lost).
    var signature = JSON.stringify([current.id, items.map(function (c) { return [c, waited(c.waiting_since)]; })]);
    if (signature === drawn) { return; }
    drawn = signature;
    list.textContent = "";
    items.forEach(function (c) {
      var li = document.createElement("li");
      li.dataset.id = c.id;
      if (c.id === current.id) { li.className = "is-active"; }
      li.dataset.state = stateOf(c);
      var link = document.createElement("a");
      link.href = "?conversation=" + c.id;
      var status = document.createElement("span");
      status.className = "state state-" + stateOf(c);
      status.textContent = stateLabels[stateOf(c)] || stateOf(c);
      link.appendChild(document.createTextNode("#" + c.id + " " + c.subject + " - " + (c.customer || "") + " "));
      link.appendChild(status);
      if (stateOf(c) === "waiting") { link.appendChild(document.createTextNode(waited(c.waiting_since))); }
      link.appendChild(document.createTextNode(" "));
      link.appendChild(timeElement(c.last_message_at));
      li.appendChild(link);
      list.appendChild(li);
    });
    if (current.id && conversations[current.id]) { showState(conversations[current.id]); }
  }
  list.addEventListener("click", function (event) {
    var item = event.target.closest("li[data-id]");
    if (!item || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    open(Number(item.dataset.id));
  });
  function render(message) {
    if (message.id <= current.lastId) { return; }
    current.lastId = message.id;
    var li = document.createElement("li");
    li.className = "console-" + message.role;
    li.appendChild(timeElement(message.created_at));
    li.appendChild(document.createTextNode(" " + message.author + ": " + message.body));
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    if (message.role === "customer" && current.socket) { current.socket.send(JSON.stringify({ type: "read", up_to: message.id })); }
  }
  function showContext(data) {
    context.textContent = "";
    function section(title, lines) {
      var h = document.createElement("h3"); h.textContent = title; context.appendChild(h);
      var ul = document.createElement("ul");
      (lines.length ? lines : ["-"]).forEach(function (line) { var li = document.createElement("li"); li.textContent = line; ul.appendChild(li); });
      context.appendChild(ul);
    }
    section("Customer", [data.customer || "-"]);
    section("Asked about", [data.product ? data.product.title : (data.order ? "Order " + data.order : "-")]);
    section("Basket", data.basket.map(function (l) { return l.quantity + " × " + l.product + " (" + l.price + " " + l.currency + ")"; }));
    section("Recent orders", data.orders.map(function (o) { return o.number + " · " + o.status + " · " + o.total + " " + o.currency; }));
  }
  function open(id) {
    if (current.socket) { current.socket.onclose = null; current.socket.close(); }
    clearTimeout(current.retryTimer);
    current = { id: id, socket: null, lastId: 0, retry: 0, retryTimer: null };
    history.replaceState(null, "", "?conversation=" + id);  // a reload opens it again
    log.textContent = "";
    var c = conversations[id] || {};
    subject.textContent = "#" + id + " " + (c.subject || "");
    form.hidden = false; assign.hidden = false; closeButton.hidden = false;
    drawList();
    call("GET", api + id + "/context/").then(function (data) { showContext(data); emit("context", data); });
    emit("open", { id: id });
    connectConversation(current);
  }
  // The open conversation's socket. A dropped one (a server restarting in a deploy, Redis away: 1013)
  // is opened again with ?after=<the last message shown>, so the history frame brings what was missed;
  // not after 4401/4403/4404 (signed out, not an agent, no such conversation) or once another is open.
  function connectConversation(view) {
    var socket = new WebSocket(scheme + location.host + "/ws/support/" + view.id + "/?after=" + view.lastId);
    view.socket = socket;
    socket.onopen = function () { view.retry = 0; };
    socket.onmessage = function (event) {
      if (current !== view) { return; }
      var frame = JSON.parse(event.data);
      if (frame.type === "history") { showState(frame.conversation); frame.messages.forEach(render); }
      else if (frame.type === "message") { typing.hidden = true; render(frame.message); }
      else if (frame.type === "typing" && frame.role === "customer") { typing.hidden = false; setTimeout(function () { typing.hidden = true; }, 3000); }
      else if (frame.type === "closed") { form.hidden = true; }
      else if (frame.type === "error") { live.textContent = frame.message; }
      emit(frame.type, frame);
    };
    socket.onclose = function (event) {
      if (current !== view || view.socket !== socket) { return; }
      if ([4401, 4403, 4404].indexOf(event.code) !== -1) { live.textContent = "This conversation is not available."; return; }
      view.retry = Math.min(view.retry + 1, 5);
      view.retryTimer = setTimeout(function () { if (current === view) { connectConversation(view); } }, 500 * Math.pow(2, view.retry));
    };
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = input.value.trim();
    if (body && current.socket && current.socket.readyState === WebSocket.OPEN) {
      current.socket.send(JSON.stringify({ type: "message", body: body }));
      input.value = "";
    }
  });
  input.addEventListener("input", function () {
    if (current.socket && current.socket.readyState === WebSocket.OPEN) { current.socket.send(JSON.stringify({ type: "typing" })); }
  });
  function report(error) { live.textContent = error.message; }
  assign.addEventListener("click", function () { if (current.id) { call("POST", api + current.id + "/assign/").catch(report); } });
  closeButton.addEventListener("click", function () { if (current.id) { call("POST", api + current.id + "/close/").catch(report); } });

  function connectConsole() {
    var socket = new WebSocket(scheme + location.host + "/ws/support/agents/");
    socket.onopen = function () {
      live.textContent = "Live";
      setInterval(function () { if (socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify({ type: "ping" })); } }, 30000);
    };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "snapshot") { frame.conversations.forEach(function (c) { conversations[c.id] = c; }); }
      else if (frame.type === "conversation") { conversations[frame.conversation.id] = frame.conversation; }
      emit("console", frame);
      drawList();
    };
    socket.onclose = function () { live.textContent = "Reconnecting…"; setTimeout(connectConsole, 2000); };
  }
  window.HypexConsole = {
    on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    call: call, when: when, tools: tools, log: log, live: live,
    current: function () { return current.id; },
    conversations: function () { return conversations; },
    redraw: function () { drawList(); },
    // A frame on the open conversation's socket; false when it is not open.
    send: function (frame) {
      if (current.socket && current.socket.readyState === WebSocket.OPEN) { current.socket.send(JSON.stringify(frame)); return true; }
      return false;
    }
  };
  connectConsole();
  setInterval(drawList, 15000);
  var wanted = new URLSearchParams(location.search).get("conversation");
  // Only an id (what the list's links and the emails carry): anything else opens nothing.
  if (/^[1-9][0-9]{0,17}$/.test(wanted || "")) { setTimeout(function () { open(Number(wanted)); }, 300); }
})();
