// The console works without this script; it adds the case page's new messages and the
// queue's new cases without a reload (short polling: one small request every few seconds
// while the page is open) and the "select all" box of the applications list. Text is
// inserted as text, never as HTML.
(function () {
  "use strict";
  var POLL_MS = 3000;

  // Asks url() every POLL_MS and gives show() the JSON; stops once the session has ended
  // (401) or the page is no longer this account's (403).
  function poll(url, show) {
    function ask() {
      var request = new XMLHttpRequest();
      request.open("GET", url());
      request.onload = function () {
        if (request.status === 200) { show(JSON.parse(request.responseText)); }
        if (request.status !== 401 && request.status !== 403) { setTimeout(ask, POLL_MS); }
      };
      request.onerror = function () { setTimeout(ask, POLL_MS * 3); };
      request.send();
    }
    setTimeout(ask, POLL_MS);
  }

  function addMessage(list, message) {
    var item = document.createElement("li");
    item.className = message.mine ? "lawyer" : "worker";
    item.setAttribute("data-id", String(message.id));
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = message.who + " · " + message.at;
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = message.text;
    item.appendChild(who);
    item.appendChild(text);
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function follow(list) {
    var last = Number(list.getAttribute("data-last")) || 0;
    var empty = document.getElementById("no-messages");
    var status = document.getElementById("case-status");
    list.scrollTop = list.scrollHeight;
    poll(function () { return list.getAttribute("data-source") + "?after=" + last; },
      function (answer) {
        answer.messages.forEach(function (message) {
          if (message.id > last) {
            addMessage(list, message);
            last = message.id;
          }
        });
        if (empty && answer.messages.length) { empty.hidden = true; }
        if (status) { status.textContent = answer.status; }
      });
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  // One row as queue.html (and _case_row.html) draws it, with its 接手 form.
  function queueRow(item, csrf) {
    var row = document.createElement("tr");
    var link = document.createElement("a");
    link.href = "/console/cases/" + encodeURIComponent(item.number);
    link.textContent = item.number;
    cell(row, "").appendChild(link);
    var badge = document.createElement("span");
    badge.className = "priority " + item.priority;
    badge.textContent = item.priority_label;
    cell(row, "").appendChild(badge);
    cell(row, item.tags);
    cell(row, item.waited);
    cell(row, item.facts);
    var form = document.createElement("form");
    form.method = "post";
    form.action = link.href + "/take";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf";
    token.value = csrf;
    var take = document.createElement("button");
    take.type = "submit";
    take.className = "take";
    take.textContent = "接手";
    form.appendChild(token);
    form.appendChild(take);
    cell(row, "").appendChild(form);
    return row;
  }

  // The rows are drawn again only when the cases waiting change (a button under the
  // lawyer's pointer stays put otherwise); the minutes waited are updated in place.
  function watchQueue(table) {
    var rows = table.tBodies[0];
    var csrf = document.querySelector("input[name=csrf]").value;
    var shown = table.getAttribute("data-shown");
    poll(function () { return table.getAttribute("data-source"); }, function (answer) {
      var numbers = answer.waiting.map(function (item) { return item.number; }).join(" ");
      if (numbers !== shown) {
        while (rows.firstChild) { rows.removeChild(rows.firstChild); }
        answer.waiting.forEach(function (item) { rows.appendChild(queueRow(item, csrf)); });
        shown = numbers;
      } else {
        answer.waiting.forEach(function (item, i) {
          rows.rows[i].cells[3].textContent = item.waited;
        });
      }
      var none = answer.waiting.length === 0;
      table.hidden = none;
      document.getElementById("take-next").hidden = none;
      document.getElementById("queue-empty").hidden = !none;
      document.getElementById("queue-count").textContent = String(answer.waiting.length);
      document.getElementById("held").textContent = answer.held + "/" + answer.capacity;
    });
  }

  function selectAll(box) {
    box.addEventListener("change", function () {
      var boxes = document.querySelectorAll("input[name=numbers]");
      for (var i = 0; i < boxes.length; i++) { boxes[i].checked = box.checked; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("transcript");
    if (list) { follow(list); }
    var queue = document.getElementById("queue");
    if (queue) { watchQueue(queue); }
    var box = document.getElementById("select-all");
    if (box) { selectAll(box); }
  });
})();
