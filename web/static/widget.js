/*
 * The chat widget of the help page: vanilla JS, no build step.
 *
 * Talks to the Rasa server over socket.io (socket.io-client 4, served from web/node_modules by
 * web/server.py), with session persistence: the conversation id is kept in sessionStorage and
 * sent in `session_request`, so a reload goes on with the same conversation. The history is
 * kept in sessionStorage too and drawn again on reload.
 *
 * Shared computers (see "what the widget keeps" below): nothing in localStorage; the tab's
 * sessionStorage is emptied after IDLE minutes without activity and by « Fermer et effacer »;
 * a typed message is kept (and shown) only in the form the server sends back once it is
 * answered, secrets turned into bullets (server_ext/channels.py, common/secret_detector.py).
 *
 * Security: every text the user or the bot writes is put in the page with textContent or
 * createTextNode, never innerHTML; links are built as <a> elements only for http(s) URLs.
 */
(function () {
  'use strict';

  var KEYS = {
    session: 'amelibot.session',
    device: 'amelibot.device',
    history: 'amelibot.history',
    open: 'amelibot.open',
    expires: 'amelibot.expires'
  };
  var KEY_PREFIX = 'amelibot.';
  // Keys older versions kept in localStorage: removed at start.
  var LEGACY_LOCAL_KEYS = ['amelibot.session', 'amelibot.device', 'amelibot.history', 'amelibot.open'];
  var MASKED_EVENT = 'user_message_masked'; // server_ext/channels.py
  // Defaults until /api/config answers (idle_minutes; max_message_chars, common/input_checks.py).
  var privacy = { idleMinutes: 30, maxChars: 1000, timer: null };
  var MAX_HISTORY = 200;
  var REPLY_TIMEOUT_MS = 45000;
  var TYPING_TAIL_MS = 900;
  var FEEDBACK_ACK_MS = 20000;
  // The words this script writes: actions/web_answers.WIDGET_TEXTS, read by AMELIBOT_SAY('key',
  // {name: value}); both come from /static/texts.js, loaded first by the page (web/server.py).
  var say = window.AMELIBOT_SAY || function (key) { return key; };

  // ------------------------------------------------------------------ storage helpers
  // Everything lives in the tab's sessionStorage (gone when the tab closes), never localStorage.
  var memoryStore = {};
  function storeGet(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return memoryStore[key] || null; }
  }
  function storeSet(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { memoryStore[key] = value; }
  }
  function storeRemove(key) {
    try { window.sessionStorage.removeItem(key); } catch (e) { delete memoryStore[key]; }
  }
  var sessionGet = storeGet;
  var sessionSet = storeSet;

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  // The stored id, or a new one: written only when a message is sent (persistIds), so a page
  // merely opened leaves nothing in storage.
  function stableId(key) {
    var value = storeGet(key);
    return value && /^[a-f0-9]{32}$/.test(value) ? value : randomId();
  }

  // ------------------------------------------------------------------ state
  forgetOldVersions();
  if (storedConversationExpired()) eraseStorage(); // a conversation left there too long ago
  var state = {
    sessionId: stableId(KEYS.session),
    deviceId: stableId(KEYS.device),
    history: loadHistory(),
    turn: 0,
    confirmed: false,
    queue: [],
    pendingFeedbackAcks: 0,
    feedbackAckTimer: null,
    replyTimer: null,
    typingTimer: null,
    socket: null,
    connecting: false,
    config: null,
    mailFolder: 'inbox',
    mailRefreshTimer: null
  };
  state.turn = state.history.reduce(function (max, m) { return Math.max(max, m.turn || 0); }, 0);

  function loadHistory() {
    try {
      var parsed = JSON.parse(storeGet(KEYS.history) || '[]');
      return Array.isArray(parsed) ? parsed.filter(function (m) {
        return m && typeof m.text === 'string' && (m.who === 'bot' || m.who === 'user' || m.who === 'notice');
      }) : [];
    } catch (e) {
      return [];
    }
  }
  function saveHistory() {
    if (state.history.length > MAX_HISTORY) state.history = state.history.slice(-MAX_HISTORY);
    // A typed message waits in memory only, until the server says what to keep of it.
    storeSet(KEYS.history, JSON.stringify(state.history.filter(function (m) { return !m.pending; })));
    touchActivity();
  }

  // ------------------------------------------------------------------ DOM
  var $ = function (id) { return document.getElementById(id); };
  var el = {
    bubble: $('chat-bubble'), panel: $('chat-panel'), close: $('chat-close'), restart: $('chat-restart'),
    log: $('chat-log'), typing: $('chat-typing'), status: $('chat-status'), statusText: $('chat-status-text'),
    retry: $('chat-retry'), form: $('chat-form'), input: $('chat-input'), send: $('chat-send'),
    mailToggle: $('chat-mail-toggle'), mailPanel: $('mail-panel'), mailRefresh: $('mail-refresh'),
    mailAccount: $('mail-account'), mailStatus: $('mail-status'), mailList: $('mail-list'),
    mailView: $('mail-view'), mailBack: $('mail-back'), mailSubject: $('mail-view-subject'),
    mailMeta: $('mail-view-meta'), mailBody: $('mail-view-body'),
    erase: $('chat-erase'), length: $('chat-length'), idleMinutes: $('chat-idle-minutes')
  };

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) n.className = className;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  // ------------------------------------------------------------------ safe rich text
  // Links (markdown [text](url) or bare http(s) URLs), **bold**, and lists ("- ", "• ", "1. ").
  var INLINE = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"'«»]+)|(?<!\*)\*\*(?!\*)([^*\n]+?)(?<!\*)\*\*(?!\*)/g;
  var TRAILING = /[.,;:!?)\]']+$/;

  function safeUrl(raw) {
    try {
      var url = new URL(raw);
      return (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function makeLink(label, href) {
    var a = node('a', 'msg-link', label);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.appendChild(node('span', 'visually-hidden', say('new_tab')));
    return a;
  }

  function appendInline(parent, text, allowBold) {
    var last = 0;
    var match;
    INLINE.lastIndex = 0;
    var matches = [];
    while ((match = INLINE.exec(text)) !== null) matches.push(match);
    matches.forEach(function (m) {
      if (m.index < last) return;
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var consumed = m[0];
      if (m[1] !== undefined) {
        var href = safeUrl(m[2]);
        parent.appendChild(href ? makeLink(m[1], href) : document.createTextNode(m[0]));
      } else if (m[3] !== undefined) {
        var raw = m[3];
        var tail = (raw.match(TRAILING) || [''])[0];
        if (tail) raw = raw.slice(0, raw.length - tail.length);
        var url = safeUrl(raw);
        parent.appendChild(url ? makeLink(raw, url) : document.createTextNode(raw));
        if (tail) parent.appendChild(document.createTextNode(tail));
      } else if (allowBold) {
        var strong = node('strong');
        appendInline(strong, m[4], false);
        parent.appendChild(strong);
      } else {
        parent.appendChild(document.createTextNode(consumed));
      }
      last = m.index + consumed.length;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderRich(container, text) {
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    var list = null;
    var listKind = null;
    lines.forEach(function (line) {
      var bullet = line.match(/^\s*(?:[-*•])\s+(.*)$/);
      var numbered = line.match(/^\s*(\d{1,2})[.)]\s+(.*)$/);
      var kind = bullet ? 'ul' : (numbered ? 'ol' : null);
      if (kind) {
        if (!list || listKind !== kind) {
          list = node(kind);
          listKind = kind;
          if (numbered && numbered[1] !== '1') list.start = parseInt(numbered[1], 10);
          container.appendChild(list);
        }
        var li = node('li');
        appendInline(li, bullet ? bullet[1] : numbered[2], true);
        list.appendChild(li);
        return;
      }
      list = null;
      listKind = null;
      if (!line.trim()) return;
      var p = node('p');
      appendInline(p, line, true);
      container.appendChild(p);
    });
  }

  // ------------------------------------------------------------------ read aloud (« Écouter »)
  // The browser's own speech synthesis, in French: no server, nothing leaves the machine. When the
  // browser has none, no button is drawn. What is read: the message as shown, without URLs (a
  // markdown link reads its label only), without ** and list marks. A second press stops.
  var speech = (window.speechSynthesis && typeof window.SpeechSynthesisUtterance === 'function')
    ? window.speechSynthesis : null;
  var LISTEN_LABEL = say('listen');
  var LISTEN_STOP_LABEL = say('listen_stop');

  function speakableText(text) {
    return String(text)
      .replace(/\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)/g, '$1')
      .replace(/https?:\/\/[^\s<>"'«»]+/g, '')
      .replace(/\*\*/g, '')
      .replace(/^\s*(?:[-*•]|\d{1,2}[.)])\s+/gm, '')
      .replace(/\s*:\s*(?=[.\n]|$)/g, '.')
      .replace(/[ \t]+/g, ' ')
      .trim();
  }

  function frenchVoice() {
    var voices = (speech && speech.getVoices && speech.getVoices()) || [];
    var french = voices.filter(function (v) { return /^fr\b/i.test(v.lang || ''); });
    return french.filter(function (v) { return /^fr[-_]FR$/i.test(v.lang); })[0] || french[0] || null;
  }

  function setListening(button, on) {
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.lastChild.textContent = on ? LISTEN_STOP_LABEL : LISTEN_LABEL;
  }

  function stopSpeaking() {
    if (!speech) return;
    speech.cancel();
    Array.prototype.forEach.call(document.querySelectorAll('.msg-listen[aria-pressed="true"]'), function (b) {
      setListening(b, false);
    });
  }

  function speak(text, button) {
    var wasOn = button.getAttribute('aria-pressed') === 'true';
    stopSpeaking();
    if (wasOn) return;
    var utterance = new window.SpeechSynthesisUtterance(speakableText(text));
    utterance.lang = 'fr-FR';
    var voice = frenchVoice();
    if (voice) utterance.voice = voice;
    utterance.rate = 0.95;
    utterance.onend = utterance.onerror = function () { setListening(button, false); };
    setListening(button, true);
    speech.speak(utterance);
  }

  function speakerIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z');
    svg.appendChild(path);
    return svg;
  }

  // A real <button> (Tab, Enter, Space), named by its visible text; aria-pressed says when it reads.
  function addListenButton(bubble, text) {
    if (!speech || !speakableText(text)) return;
    var button = node('button', 'msg-listen');
    button.type = 'button';
    button.title = say('listen_title');
    button.appendChild(speakerIcon());
    button.appendChild(node('span', null, LISTEN_LABEL));
    setListening(button, false);
    button.addEventListener('click', function () { speak(text, button); });
    bubble.appendChild(button);
  }

  if (speech) {
    el.close.addEventListener('click', stopSpeaking);
    el.restart.addEventListener('click', stopSpeaking);
    window.addEventListener('pagehide', stopSpeaking);
  }

  // ------------------------------------------------------------------ drawing the conversation
  function scrollToEnd() {
    el.log.scrollTop = el.log.scrollHeight;
  }

  function drawMessage(message) {
    var bubble;
    if (message.who === 'user') {
      bubble = node('div', 'msg msg--user');
      bubble.appendChild(node('span', 'visually-hidden', say('you_said')));
      bubble.appendChild(node('span', 'msg__text', message.text));
      if (message.id) bubble.setAttribute('data-message-id', message.id);
      if (message.masked) drawMaskedNote(bubble);
    } else if (message.who === 'notice') {
      bubble = node('div', 'msg msg--notice', message.text);
    } else {
      bubble = node('div', 'msg msg--bot');
      var who = node('span', 'visually-hidden', say('bot_said'));
      bubble.appendChild(who);
      renderRich(bubble, message.text);
      addListenButton(bubble, message.text);
    }
    bubble.setAttribute('data-turn', String(message.turn || 0));
    el.log.appendChild(bubble);
    return bubble;
  }

  function clearQuickReplies() {
    Array.prototype.forEach.call(el.log.querySelectorAll('.quick-replies'), function (n) { n.remove(); });
  }

  function drawQuickReplies(buttons) {
    clearQuickReplies();
    if (!buttons || !buttons.length) return;
    var group = node('div', 'quick-replies');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', say('quick_replies'));
    buttons.forEach(function (b) {
      var button = node('button', 'quick-reply', b.title);
      button.type = 'button';
      button.addEventListener('click', function () {
        sendUserMessage(b.title, b.payload);
        // « Ouvrir ma boîte mail (simulation) »: the bot lists the mails, the panel shows them.
        if (/^\/simuler_boite_mail\b/.test(b.payload) && el.mailPanel.hidden) toggleMail();
      });
      group.appendChild(button);
    });
    el.log.appendChild(group);
  }

  function lastBotTextOfTurn(turn) {
    return state.history.filter(function (m) { return m.who === 'bot' && m.turn === turn; })
      .map(function (m) { return m.text; }).join('\n').slice(0, 300);
  }

  // A thumb drawn in SVG (no emoji font needed); 👎 is the same thumb turned upside down.
  var THUMB = 'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6' +
    'C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z';
  function thumbIcon(down) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    if (down) svg.setAttribute('transform', 'rotate(180)');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', THUMB);
    svg.appendChild(path);
    return svg;
  }

  function drawFeedback(turn) {
    if (!turn) return; // no feedback on the greeting
    var old = el.log.querySelector('.feedback[data-turn="' + turn + '"]');
    var chosen = null;
    state.history.forEach(function (m) { if (m.turn === turn && m.feedback) chosen = m.feedback; });
    if (old) old.remove();
    var row = node('div', 'feedback');
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', say('feedback_group'));
    row.setAttribute('data-turn', String(turn));
    row.appendChild(node('span', null, say('feedback_question')));
    [['positif', '👍', say('feedback_yes')], ['negatif', '👎', say('feedback_no')]]
      .forEach(function (choice) {
        var button = node('button', 'feedback__btn feedback__btn--' + choice[0]);
        button.type = 'button';
        button.setAttribute('aria-label', choice[2]);
        button.setAttribute('aria-pressed', chosen === choice[0] ? 'true' : 'false');
        if (chosen) button.setAttribute('aria-disabled', 'true');
        button.appendChild(thumbIcon(choice[0] === 'negatif'));
        button.addEventListener('click', function () { sendFeedback(turn, choice[0], row); });
        row.appendChild(button);
      });
    el.log.appendChild(row);
  }

  function redrawAll() {
    el.log.textContent = '';
    var lastBotIndex = {};
    state.history.forEach(function (m, i) { if (m.who === 'bot') lastBotIndex[m.turn || 0] = i; });
    state.history.forEach(function (m, i) {
      drawMessage(m);
      if (m.who !== 'bot' || lastBotIndex[m.turn || 0] !== i) return;
      var stillOpen = !state.history.slice(i + 1).some(function (n) { return n.who === 'user'; });
      var buttons = null;
      state.history.slice(0, i + 1).forEach(function (n) {
        if (n.who === 'bot' && n.turn === m.turn && n.buttons) buttons = n.buttons;
      });
      if (stillOpen && buttons) drawQuickReplies(buttons);
      drawFeedback(m.turn || 0);
    });
    scrollToEnd();
  }

  function addBotMessage(message) {
    var entry = { who: 'bot', text: message.text, turn: state.turn };
    if (message.buttons && message.buttons.length) entry.buttons = message.buttons;
    state.history.push(entry);
    saveHistory();
    var feedback = el.log.querySelector('.feedback[data-turn="' + state.turn + '"]');
    if (feedback) feedback.remove();
    var quick = el.log.querySelector('.quick-replies');
    if (quick) quick.remove();
    drawMessage(entry);
    if (entry.buttons) drawQuickReplies(entry.buttons);
    else if (quick) el.log.appendChild(quick);
    drawFeedback(state.turn);
    scrollToEnd();
  }

  function addNotice(text) {
    var entry = { who: 'notice', text: text, turn: state.turn };
    state.history.push(entry);
    saveHistory();
    drawMessage(entry);
    scrollToEnd();
  }

  // ------------------------------------------------------------------ typing indicator and status
  function showTyping() {
    el.typing.hidden = false;
    clearTimeout(state.typingTimer);
    clearTimeout(state.replyTimer);
    state.replyTimer = setTimeout(function () {
      hideTyping();
      showStatus(say('no_reply'));
    }, REPLY_TIMEOUT_MS);
  }
  function hideTyping() {
    el.typing.hidden = true;
    clearTimeout(state.typingTimer);
    clearTimeout(state.replyTimer);
  }
  function typingTail() {
    clearTimeout(state.replyTimer);
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(hideTyping, TYPING_TAIL_MS);
  }
  function showStatus(text) {
    el.statusText.textContent = text;
    el.status.hidden = false;
  }
  function hideStatus() {
    el.status.hidden = true;
    el.statusText.textContent = '';
  }

  // ------------------------------------------------------------------ socket.io
  function loadConfig() {
    if (state.config) return Promise.resolve(state.config);
    return fetch('/api/config', { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('config'); return r.json(); })
      .then(function (config) { state.config = config; return config; });
  }

  function connect() {
    state.connecting = true;
    if (state.socket) {
      state.socket.removeAllListeners();
      state.socket.io.removeAllListeners();
      state.socket.disconnect();
      state.socket = null;
    }
    state.confirmed = false;
    loadConfig().then(function (config) {
      if (typeof window.io !== 'function') throw new Error('socket.io-client missing');
      var socket = window.io(config.rasa_url, {
        path: '/socket.io/',
        transports: ['websocket', 'polling'],
        reconnectionAttempts: 4,
        reconnectionDelay: 1000,
        timeout: 8000
      });
      state.socket = socket;
      state.connecting = false;
      socket.on('connect', function () {
        socket.emit('session_request', { session_id: state.sessionId });
      });
      socket.on('session_confirm', function (sessionId) {
        var confirmedId = typeof sessionId === 'string' ? sessionId : (sessionId && sessionId.session_id);
        if (confirmedId && confirmedId !== state.sessionId) return; // an older conversation
        state.confirmed = true;
        hideStatus();
        flushQueue();
      });
      socket.on('bot_uttered', onBotUttered);
      socket.on(MASKED_EVENT, onMessageMasked);
      socket.on('connect_error', function () {
        state.confirmed = false;
        hideTyping();
        showStatus(say('unreachable'));
      });
      socket.on('disconnect', function () {
        state.confirmed = false;
      });
      socket.io.on('reconnect_failed', function () {
        showStatus(say('unreachable'));
      });
    }).catch(function () {
      state.connecting = false;
      hideTyping();
      showStatus(say('unreachable'));
    });
  }

  function emit(text, metadata) {
    state.socket.emit('user_uttered', {
      message: text,
      session_id: state.sessionId,
      metadata: Object.assign({ device_id: state.deviceId }, metadata || {})
    });
  }

  function flushQueue() {
    while (state.queue.length && state.confirmed) {
      var item = state.queue.shift();
      emit(item.text, item.metadata);
      if (!item.silent) showTyping();
    }
  }

  function deliver(text, metadata, silent) {
    persistIds();
    state.queue.push({ text: text, metadata: metadata, silent: silent });
    if (state.confirmed && state.socket && state.socket.connected) {
      flushQueue();
    } else {
      if (state.socket) showStatus(say('queued'));
      if (!state.socket && !state.connecting) connect();
    }
  }

  function normaliseBotMessage(data) {
    if (!data || typeof data !== 'object') return null;
    var text = typeof data.text === 'string' ? data.text : '';
    var raw = data.quick_replies || data.buttons || [];
    var buttons = Array.isArray(raw) ? raw.filter(function (b) {
      return b && typeof b.title === 'string' && typeof b.payload === 'string';
    }).map(function (b) { return { title: b.title, payload: b.payload }; }) : [];
    if (!text && data.attachment && data.attachment.payload && typeof data.attachment.payload.src === 'string') {
      text = data.attachment.payload.src;
    }
    if (!text && !buttons.length) return null;
    return { text: text, buttons: buttons };
  }

  function onBotUttered(data) {
    var message = normaliseBotMessage(data);
    if (!message) return;
    if (state.pendingFeedbackAcks > 0) {
      state.pendingFeedbackAcks -= 1;
      addNotice(message.text);
      return;
    }
    addBotMessage(message);
    typingTail();
    scheduleMailRefresh();
  }

  function sendUserMessage(shown, payload) {
    var text = String(shown || '').trim();
    if (!text) return;
    clearQuickReplies();
    state.turn += 1;
    var entry = { who: 'user', text: text, turn: state.turn };
    // Typed text: kept only once the server sends back its masked form (onMessageMasked).
    // A button's title is the bot's own text: kept at once.
    if (!payload) {
      entry.id = randomId().slice(0, 16);
      entry.pending = true;
    }
    state.history.push(entry);
    saveHistory();
    drawMessage(entry);
    scrollToEnd();
    deliver(payload || text, entry.id ? { message_id: entry.id } : null, false);
  }

  function sendFeedback(turn, value, row) {
    var already = false;
    state.history.forEach(function (m) { if (m.turn === turn && m.feedback) already = true; });
    if (already) return;
    state.history.forEach(function (m) { if (m.who === 'bot' && m.turn === turn) m.feedback = value; });
    saveHistory();
    Array.prototype.forEach.call(row.querySelectorAll('button'), function (b) {
      b.setAttribute('aria-pressed', b.classList.contains('feedback__btn--' + value) ? 'true' : 'false');
      b.setAttribute('aria-disabled', 'true');
    });
    state.pendingFeedbackAcks += 1;
    clearTimeout(state.feedbackAckTimer);
    state.feedbackAckTimer = setTimeout(function () { state.pendingFeedbackAcks = 0; }, FEEDBACK_ACK_MS);
    deliver('/feedback' + JSON.stringify({ avis: value }), { feedback_for: lastBotTextOfTurn(turn) }, true);
  }

  function restart() {
    var previous = state.sessionId;
    state.sessionId = randomId();
    storeSet(KEYS.session, state.sessionId);
    touchActivity();
    state.history = [];
    state.turn = 0;
    state.queue = [];
    state.pendingFeedbackAcks = 0;
    storeRemove(KEYS.history);
    el.log.textContent = '';
    hideTyping();
    addNotice(say('new_conversation'));
    connect();
    greet();
    if (!el.mailPanel.hidden) refreshMailbox();
    el.input.focus();
    announceSession(previous);
  }

  // A page that embeds the widget (a workshop's join page) learns of a new conversation id.
  function announceSession(previous) {
    document.dispatchEvent(new CustomEvent('amelibot:session',
      { detail: { session: state.sessionId, previous: previous } }));
  }

  function greet() {
    deliver('/saluer', null, false);
  }

  // ------------------------------------------------------------------ open / close
  function openPanel(focusInput) {
    if (checkExpiry()) return openPanel(focusInput);
    el.panel.hidden = false;
    el.bubble.setAttribute('aria-expanded', 'true');
    document.body.classList.add('chat-open');
    sessionSet(KEYS.open, '1');
    if (!state.socket && !state.connecting) {
      connect();
      if (!state.history.length) greet();
    }
    scrollToEnd();
    if (focusInput !== false) el.input.focus();
  }

  function closePanel() {
    el.panel.hidden = true;
    el.bubble.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('chat-open');
    sessionSet(KEYS.open, '0');
    el.bubble.focus();
  }

  // ------------------------------------------------------------------ simulated mailbox
  function mailUrl(path, params) {
    var query = Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
    return path + '?' + query;
  }

  function setMailStatus(text) { el.mailStatus.textContent = text || ''; }

  function refreshMailbox() {
    var session = state.sessionId;
    return fetch(mailUrl('/api/mailbox', { session: session }), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (session !== state.sessionId) return;
        drawMailbox(data);
      })
      .catch(function () {
        setMailStatus(say('mailbox_unreachable'));
      });
  }

  function drawMailbox(data) {
    el.mailList.textContent = '';
    el.mailAccount.textContent = '';
    var tabs = el.mailPanel.querySelectorAll('.mail-tab');
    if (!data || !data.ok) {
      setMailStatus((data && data.message) || say('no_mailbox'));
      Array.prototype.forEach.call(tabs, function (t) {
        t.textContent = say('folder_' + t.getAttribute('data-folder'));
      });
      return;
    }
    if (data.logged_in && data.logged_in.name) {
      el.mailAccount.textContent = say('logged_in_account', { name: data.logged_in.name });
    }
    Array.prototype.forEach.call(tabs, function (t) {
      var folder = t.getAttribute('data-folder');
      var count = data.folders[folder] ? data.folders[folder].mails.length : 0;
      t.textContent = say('folder_' + folder) + ' (' + count + ')';
      t.setAttribute('aria-pressed', folder === state.mailFolder ? 'true' : 'false');
    });
    var mails = (data.folders[state.mailFolder] || { mails: [] }).mails;
    setMailStatus(mails.length ? '' : say('no_mail_in_folder'));
    mails.forEach(function (m) {
      var li = node('li');
      var button = node('button', 'mail-item' + (m.read ? '' : ' mail-item--unread'));
      button.type = 'button';
      button.setAttribute('data-mail-id', m.id);
      button.appendChild(node('span', 'mail-item__subject', m.subject));
      button.appendChild(node('span', 'mail-item__meta',
        (m.read ? '' : say('mail_unread')) + say('mail_item_meta', { sender: m.sender, received: m.received_label })));
      button.addEventListener('click', function () { openMail(m.id); });
      li.appendChild(button);
      el.mailList.appendChild(li);
    });
  }

  function renderMailBody(container, body) {
    container.textContent = '';
    var parts = String(body).split(/(https?:\/\/[^\s<>"']+)/);
    parts.forEach(function (part, i) {
      if (i % 2 === 0) { container.appendChild(document.createTextNode(part)); return; }
      var href = safeUrl(part);
      if (!href) { container.appendChild(document.createTextNode(part)); return; }
      var host = new URL(href).hostname;
      if (/\.invalid$/.test(host)) {
        // The sandbox's validation link: "clicking" it tells the assistant, as the real gesture would.
        var button = node('button', 'chat-tool chat-tool--light mail-link', say('mail_click_link'));
        button.type = 'button';
        button.addEventListener('click', function () { sendUserMessage(part); el.input.focus(); });
        container.appendChild(button);
      } else {
        container.appendChild(makeLink(part, href));
      }
    });
  }

  function openMail(mailId) {
    fetch(mailUrl('/api/mailbox/mail', { session: state.sessionId, id: mailId }), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.ok) { setMailStatus(data.message || say('mail_not_found')); return; }
        var mail = data.mail;
        el.mailSubject.textContent = mail.subject;
        el.mailMeta.textContent = say('mail_view_meta',
          { sender: mail.sender, received: mail.received_label, folder: mail.folder_label });
        renderMailBody(el.mailBody, mail.body);
        el.mailList.hidden = true;
        el.mailView.hidden = false;
        el.mailView.setAttribute('data-mail-id', mail.id);
        el.mailSubject.focus();
      })
      .catch(function () { setMailStatus(say('mail_open_failed')); });
  }

  function closeMail() {
    var id = el.mailView.getAttribute('data-mail-id');
    el.mailView.hidden = true;
    el.mailList.hidden = false;
    refreshMailbox().then(function () {
      var again = id && el.mailList.querySelector('[data-mail-id="' + id + '"]');
      (again || el.mailRefresh).focus();
    });
  }

  function scheduleMailRefresh() {
    if (el.mailPanel.hidden || !el.mailView.hidden) return;
    clearTimeout(state.mailRefreshTimer);
    state.mailRefreshTimer = setTimeout(refreshMailbox, 600);
  }

  function toggleMail() {
    var open = el.mailPanel.hidden;
    el.mailPanel.hidden = !open;
    el.mailToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    el.panel.classList.toggle('with-mail', open);
    if (open) {
      el.mailView.hidden = true;
      el.mailList.hidden = false;
      refreshMailbox();
    } else {
      scrollToEnd();
    }
  }

  // ------------------------------------------------------------------ events
  el.bubble.addEventListener('click', function () {
    if (el.panel.hidden) openPanel(); else closePanel();
  });
  el.close.addEventListener('click', closePanel);
  el.panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      closePanel();
    }
  });
  el.restart.addEventListener('click', restart);
  el.retry.addEventListener('click', function () {
    hideStatus();
    state.config = null; // read the server's address again
    connect();
  });
  el.form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = el.input.value;
    if (!text.trim()) { el.input.focus(); return; }
    if (!checkLength()) { el.input.focus(); return; } // too long: say so, keep the text
    el.input.value = '';
    checkLength();
    sendUserMessage(text);
    el.input.focus();
  });
  el.input.addEventListener('input', checkLength);
  el.erase.addEventListener('click', closeAndErase);
  el.input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
  el.mailToggle.addEventListener('click', toggleMail);
  el.mailRefresh.addEventListener('click', refreshMailbox);
  el.mailBack.addEventListener('click', closeMail);
  Array.prototype.forEach.call(el.mailPanel.querySelectorAll('.mail-tab'), function (tab) {
    tab.addEventListener('click', function () {
      state.mailFolder = tab.getAttribute('data-folder');
      el.mailView.hidden = true;
      el.mailList.hidden = false;
      refreshMailbox();
    });
  });

  // ------------------------------------------------------------------ what the widget keeps (shared computers)
  // The tab's sessionStorage only; emptied after privacy.idleMinutes without activity (checked at
  // load, every 15 s, when the tab comes back) and by « Fermer et effacer », screen included.
  function forgetOldVersions() {
    try {
      LEGACY_LOCAL_KEYS.forEach(function (key) { window.localStorage.removeItem(key); });
    } catch (e) { /* storage disabled */ }
  }

  function eraseStorage() {
    [function () { return window.sessionStorage; }, function () { return window.localStorage; }]
      .forEach(function (getStore) {
        try {
          var store = getStore();
          for (var i = store.length - 1; i >= 0; i -= 1) {
            var key = store.key(i);
            if (key && key.indexOf(KEY_PREFIX) === 0) store.removeItem(key);
          }
        } catch (e) { /* storage disabled */ }
      });
    memoryStore = {};
  }

  function persistIds() {
    storeSet(KEYS.session, state.sessionId);
    storeSet(KEYS.device, state.deviceId);
  }

  function touchActivity() {
    storeSet(KEYS.expires, String(Date.now() + privacy.idleMinutes * 60000));
  }

  function storedConversationExpired() {
    var at = parseInt(storeGet(KEYS.expires) || '0', 10);
    return at > 0 && Date.now() > at;
  }

  function forgetEverything() {
    if (state.socket) {
      state.socket.removeAllListeners();
      state.socket.io.removeAllListeners();
      state.socket.disconnect();
      state.socket = null;
    }
    state.connecting = false;
    state.confirmed = false;
    clearTimeout(state.mailRefreshTimer);
    clearTimeout(state.feedbackAckTimer);
    hideTyping();
    hideStatus();
    eraseStorage();
    var previous = state.sessionId;
    state.sessionId = randomId();
    state.deviceId = randomId();
    state.history = [];
    state.turn = 0;
    state.queue = [];
    state.pendingFeedbackAcks = 0;
    el.log.textContent = '';
    el.input.value = '';
    checkLength();
    el.mailPanel.hidden = true;
    el.mailToggle.setAttribute('aria-expanded', 'false');
    el.panel.classList.remove('with-mail');
    el.mailList.textContent = '';
    el.mailAccount.textContent = '';
    el.mailBody.textContent = '';
    el.panel.hidden = true;
    el.bubble.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('chat-open');
    announceSession(previous);
  }

  function checkExpiry() {
    if (!storedConversationExpired()) return false;
    forgetEverything();
    return true;
  }

  function closeAndErase() {
    forgetEverything();
    el.bubble.focus();
  }

  // What the server keeps of a typed message once answered: its secrets turned into bullets.
  function onMessageMasked(data) {
    if (!data || typeof data.message_id !== 'string' || typeof data.text !== 'string') return;
    var entry = null;
    state.history.forEach(function (m) { if (m.id === data.message_id) entry = m; });
    if (!entry) return;
    entry.text = data.text;
    delete entry.pending;
    if (data.masked === true) entry.masked = true;
    saveHistory();
    var bubble = null;
    Array.prototype.forEach.call(el.log.querySelectorAll('.msg--user'), function (b) {
      if (b.getAttribute('data-message-id') === entry.id) bubble = b;
    });
    if (bubble && entry.masked) {
      bubble.querySelector('.msg__text').textContent = entry.text;
      if (!bubble.querySelector('.msg__masked')) drawMaskedNote(bubble);
    }
  }

  function drawMaskedNote(bubble) {
    bubble.appendChild(node('span', 'msg__masked', say('masked')));
  }

  function startPrivacy() {
    fetch('/api/config', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (config) {
        var idle = Number(config && config.idle_minutes);
        var max = Number(config && config.max_message_chars);
        if (idle > 0) privacy.idleMinutes = idle;
        if (max > 0) privacy.maxChars = max;
        el.idleMinutes.textContent = String(privacy.idleMinutes);
        checkLength();
      })
      .catch(function () { /* the defaults stay */ });
    privacy.timer = setInterval(checkExpiry, 15000);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) checkExpiry(); });
    window.addEventListener('focus', checkExpiry);
  }

  // ------------------------------------------------------------------ message length (no silent cut)
  function charCount(text) { return Array.from(text).length; }
  function frenchNumber(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0'); }

  // True when the text box's message can be sent; over the limit, says so under the box.
  function checkLength() {
    var count = charCount(el.input.value);
    var over = count > privacy.maxChars;
    if (over) {
      el.length.textContent = say('too_long', { count: frenchNumber(count), max: frenchNumber(privacy.maxChars) });
      el.length.hidden = false;
      el.input.setAttribute('aria-invalid', 'true');
    } else if (!el.length.hidden) {
      el.length.hidden = true;
      el.length.textContent = '';
      el.input.removeAttribute('aria-invalid');
    }
    return !over;
  }

  // ------------------------------------------------------------------ start
  // For pages that embed the widget (web/static/rejoindre.js): the conversation id, and opening it.
  window.AmeliWidget = {
    sessionId: function () { return state.sessionId; },
    open: function () { openPanel(true); }
  };
  redrawAll();
  startPrivacy();
  if (sessionGet(KEYS.open) === '1') openPanel(false);
}());
