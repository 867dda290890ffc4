// Knowledge articles suggested while a case is written (KB-1). Without this script the form's
// "Find articles" button does the same by reloading the step.
(function () {
  "use strict";
  var box = document.getElementById("suggestions");
  if (!box) { return; }
  var form = box.closest("form");
  var title = document.getElementById("f-title");
  var description = document.getElementById("f-description");
  var list = box.querySelector("ul");
  var empty = box.querySelector(".empty");
  var timer = null;
  var asked = "";
  function refresh() {
    var q = ((title && title.value) || "") + " " + ((description && description.value) || "");
    q = q.trim().slice(0, 2000);
    if (q === asked) { return; }
    asked = q;
    if (!q) { list.textContent = ""; return; }
    var url = "/articles/suggest?q=" + encodeURIComponent(q) + "&draft=" + encodeURIComponent(box.dataset.draft || "");
    if (box.dataset.product) { url += "&product_id=" + encodeURIComponent(box.dataset.product); }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) {
        if (q !== asked) { return; }
        list.textContent = "";
        (body.items || []).forEach(function (item) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = item.link;
          a.target = "_blank";
          a.rel = "noopener";
          a.textContent = item.title;
          var snippet = document.createElement("span");
          snippet.className = "muted snippet";
          // The server escapes the snippet; only <mark> is markup in it.
          snippet.innerHTML = item.snippet;
          li.appendChild(a);
          li.appendChild(document.createElement("br"));
          li.appendChild(snippet);
          list.appendChild(li);
        });
        if (empty) { empty.hidden = list.children.length > 0; }
      })
      .catch(function () { /* the button still works */ });
  }
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 350);
  }
  if (title) { title.addEventListener("input", later); }
  if (description) { description.addEventListener("input", later); }
  if (form && title && title.value) { refresh(); }
})();
