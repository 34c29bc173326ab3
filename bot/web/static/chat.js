/* 职工在线服务台 web chat. Plain ES5 + fetch: runs in old Android WebViews and WeChat's browser.
   Everything shown is set with textContent: what anybody typed is never read as HTML. */
(function () {
  'use strict';
  var HISTORY = 'desk.history.v1';
  var CONVERSATION = 'desk.conversation.v1';
  var KEEP = 200;  // messages kept on this phone
  var SLOW_MS = 10000;
  var DOWN = '暂时连不上服务台，请检查网络后再试。急事请拨打职工服务热线 12351。';
  var RESTART_QUESTION = '重新开始后，这里的聊天记录会清空，服务台也不再接着之前的对话。' +
    '已经提交的申请和案件不受影响，可以凭编号查询。确定重新开始吗？';

  var log, input, statusBar, typingBubble, slowTimer, events;
  var history = [];
  var tasks = [];
  var working = false;

  function $(id) { return document.getElementById(id); }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || 'null'); } catch (e) { return null; }
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function showStatus(text) { statusBar.textContent = text; statusBar.hidden = false; }
  function hideStatus() { statusBar.hidden = true; }

  /* entry: {who: 'me' | 'desk', text, basis, after, buttons, notice, document: {name, url}} */
  function show(entry) {
    var bubble = element('div', 'bubble ' + (entry.who === 'me' ? 'me' : 'desk'));
    if (entry.notice) {
      bubble.className += ' notice';
      bubble.appendChild(element('span', 'label', '通知'));
    }
    bubble.appendChild(document.createTextNode(entry.text || ''));
    if (entry.basis) {
      var details = element('details');
      details.appendChild(element('summary', '', '法律依据'));
      details.appendChild(element('p', '', entry.basis));
      bubble.appendChild(details);
    }
    if (entry.after) { bubble.appendChild(element('p', '', entry.after)); }
    if (entry.document && entry.document.url) {
      var file = element('a', 'file', '\uD83D\uDCC4 ' + entry.document.name);
      file.href = entry.document.url;
      file.setAttribute('download', entry.document.name);
      bubble.appendChild(file);
    }
    log.insertBefore(bubble, typingBubble);
    if (entry.buttons && entry.buttons.length) {
      var row = element('div', 'buttons');
      entry.buttons.forEach(function (button) {
        var key = element('button', '', button.title);
        key.type = 'button';
        key.addEventListener('click', function () { press(button); });
        row.appendChild(key);
      });
      log.insertBefore(row, typingBubble);
    }
    scrollDown();
    return bubble;
  }

  function record(entry) {
    history.push(entry);
    history = history.slice(-KEEP);
    save(HISTORY, history);
    return show(entry);
  }

  function deskSays(messages, notice) {
    (messages || []).forEach(function (message) {
      record({who: 'desk', text: message.text, basis: message.basis, after: message.after,
        buttons: message.buttons, notice: !!notice, document: message.document});
    });
  }

  function typing(on) {
    typingBubble.hidden = !on;
    typingBubble.firstChild.textContent = '服务台正在输入';
    clearTimeout(slowTimer);
    if (on) {
      slowTimer = setTimeout(function () {
        typingBubble.firstChild.textContent = '还在处理，请稍候';
      }, SLOW_MS);
      scrollDown();
    }
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-Desk-Page': '1'},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || DOWN); }
        hideStatus();
        return data;
      });
    }, function () { throw new Error(DOWN); });
  }

  /* One request at a time, in the order the worker sent them. */
  function enqueue(task) { tasks.push(task); pump(); }

  function pump() {
    if (working || !tasks.length) { return; }
    working = true;
    typing(true);
    var task = tasks.shift();
    task().catch(function (failure) { showStatus(failure.message || DOWN); }).then(function () {
      working = false;
      typing(false);
      pump();
    });
  }

  function say(text) {
    var mine = show({who: 'me', text: text});
    enqueue(function () {
      return post('/api/say', {text: text}).then(function (data) {
        mine.parentNode.removeChild(mine);
        record({who: 'me', text: data.you});  // ID and phone numbers masked by the desk
        deskSays(data.messages);
      }, function (failure) {
        mine.parentNode.removeChild(mine);
        if (!input.value) { input.value = text; }  // nothing the worker typed is lost
        throw failure;
      });
    });
  }

  function press(button) {
    var mine = show({who: 'me', text: button.title});
    enqueue(function () {
      return post('/api/press', {payload: button.payload}).then(function (data) {
        mine.parentNode.removeChild(mine);
        record({who: 'me', text: button.title});
        deskSays(data.messages);
      }, function (failure) {
        mine.parentNode.removeChild(mine);
        throw failure;
      });
    });
  }

  function clearLog() {
    while (log.firstChild !== typingBubble) { log.removeChild(log.firstChild); }
  }

  function begin(data) {
    if (data.conversation !== load(CONVERSATION)) { history = []; save(HISTORY, history); }
    save(CONVERSATION, data.conversation);
    deskSays(data.messages);
    listen();
  }

  /* Notices (a lawyer's reply, an application approved) while the page is open. */
  function listen() {
    if (!window.EventSource) { return; }
    if (events) { events.close(); }
    var lost = null;
    events = new EventSource('/api/events');
    events.addEventListener('notice', function (event) {
      try { deskSays([JSON.parse(event.data)], true); } catch (e) { /* a broken event */ }
    });
    events.onopen = function () { clearTimeout(lost); hideStatus(); };
    events.onerror = function () {
      clearTimeout(lost);
      lost = setTimeout(function () { showStatus('与服务台的连接断了，正在重新连接…'); }, 5000);
    };
  }

  function open() {
    clearLog();
    history = load(HISTORY) || [];
    history.forEach(show);
    var known = history.length ? load(CONVERSATION) : null;
    enqueue(function () {
      return post('/api/open', {conversation: known}).then(function (data) {
        if (data.conversation !== known && history.length) { clearLog(); }
        begin(data);
      }, function (failure) {
        if (!history.length) { show({who: 'desk', text: failure.message || DOWN}); }
        throw failure;
      });
    });
  }

  function restart(event) {
    event.preventDefault();
    if (!window.confirm(RESTART_QUESTION)) { return; }
    enqueue(function () {
      return post('/api/restart').then(function (data) {
        clearLog();
        history = [];
        save(HISTORY, history);
        begin(data);
      });
    });
  }

  function submit(event) {
    if (event) { event.preventDefault(); }
    var text = input.value;
    if (!text.replace(/\s+/g, '')) { input.focus(); return; }
    input.value = '';
    grow();
    say(text);
    input.focus();
  }

  function grow() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 140) + 'px';
  }

  function start() {
    log = $('log');
    input = $('input');
    statusBar = $('status');
    var loading = $('loading');
    if (loading) { loading.parentNode.removeChild(loading); }
    typingBubble = element('div', 'bubble desk typing');
    typingBubble.appendChild(element('span', '', '服务台正在输入'));
    for (var i = 0; i < 3; i++) { typingBubble.appendChild(element('i')); }
    typingBubble.hidden = true;
    typingBubble.setAttribute('aria-label', '服务台正在输入');
    log.appendChild(typingBubble);
    $('composer').addEventListener('submit', submit);
    input.addEventListener('input', grow);
    input.addEventListener('keydown', function (event) {
      // Enter sends; Shift+Enter is a new line; Enter that picks a Chinese IME candidate is not.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        submit(event);
      }
    });
    $('restart').addEventListener('click', restart);
    open();
  }

  if (!window.fetch || !window.JSON) {
    document.getElementById('loading').textContent =
      '您的浏览器版本太旧，打不开在线聊天。请换一个浏览器，或拨打职工服务热线 12351。';
    return;
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
