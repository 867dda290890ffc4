// A chat page, live (CHAT-1): messages arrive over the chat's WebSocket; when none gets
// through, the page asks /chat/{id}/poll every two seconds. Without this script the page's
// form still sends, and a reload shows what is new.
(function () {
  "use strict";
  var box = document.getElementById("chat");
  if (!box) { return; }
  var id = box.dataset.chat;
  var last = parseInt(box.dataset.last || "0", 10);
  var list = document.getElementById("messages");
  var status = document.getElementById("chat-status");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-body");
  var socket = null;
  var polling = null;

  function add(m) {
    if (m.id <= last) { return; }
    last = m.id;
    var li = document.createElement("li");
    li.className = (m.from_staff ? "desk " : "customer ") + m.kind;
    li.dataset.id = m.id;
    if (m.kind === "message") {
      var who = document.createElement("strong");
      who.textContent = m.from_staff && !box.dataset.engineer ? box.dataset.desk : (m.author || "");
      var p = document.createElement("p");
      p.textContent = m.body;
      li.appendChild(who);
      li.appendChild(p);
    } else {
      var em = document.createElement("em");
      em.textContent = m.kind === "joined" ? "\u2022 " + (m.author || "") : "\u2022";
      li.appendChild(em);
    }
    list.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function state(s) {
    box.dataset.status = s.status;
    if (status && typeof s.text === "string") { status.textContent = s.text; }
    if (s.status === "ended") {
      if (form) { form.hidden = true; }
      stop();
      return;
    }

  }

  function stop() {
    if (socket) { socket.close(); socket = null; }
    if (polling) { clearInterval(polling); polling = null; }
  }

  function poll() {
    fetch("/chat/" + id + "/poll?after=" + last, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        (body.items || []).forEach(add);
        state(body);
      })
      .catch(function () {});
  }

  function fallback() {
    socket = null;
    if (!polling) { polling = setInterval(poll, 2000); poll(); }
  }

  function connect() {
    if (!window.WebSocket) { fallback(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var opened = false;
    try {
      socket = new WebSocket(scheme + location.host + "/chat/" + id + "/socket?after=" + last);
    } catch (e) { fallback(); return; }
    socket.onopen = function () { opened = true; box.dataset.live = "socket"; };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "message") { add(frame); }
      if (frame.type === "status") { state(frame); }
    };
    socket.onclose = function () {
      if (box.dataset.status === "ended") { return; }
      if (!opened) { fallback(); } else { setTimeout(connect, 1000); }
    };
  }

  if (form && input) {
    form.addEventListener("submit", function (event) {
      var body = input.value.trim();
      if (!body) { event.preventDefault(); return; }
      if (socket && socket.readyState === 1) {
        event.preventDefault();
        socket.send(JSON.stringify({ body: body }));
        input.value = "";
      }
    });
  }
  connect();
})();
