/*
 * A learner's page of a workshop: the help page at /atelier/CODE (web/workshops.py). Asks for a
 * first name or nickname, joins the workshop with the widget's conversation id, then opens the
 * chat. When the learner starts a new conversation (« Recommencer »), the new one joins too and
 * the old one leaves the room. Nothing runs on other pages.
 */
(function () {
  'use strict';

  var match = /^\/atelier\/([A-Za-z0-9-]{4,16})\/?$/.exec(window.location.pathname);
  if (!match) return;
  var code = match[1];
  var KEY = 'amelibot.atelier.' + code.toUpperCase();

  // The words this script writes: actions/web_answers.WIDGET_TEXTS, read by AMELIBOT_SAY('key',
  // {name: value}); both come from /static/texts.js, loaded first by the page (web/server.py).
  var say = window.AMELIBOT_SAY || function (key) { return key; };

  function widget() { return window.AmeliWidget || null; }

  function post(path, body) {
    return fetch(path, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin',
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  // The nickname and the conversation that joined, for this tab only (erased with the chat's
  // « Fermer et effacer », whose keys share the amelibot. prefix).
  function remembered(suffix) {
    try { return window.sessionStorage.getItem(KEY + (suffix || '')); } catch (e) { return null; }
  }
  function remember(nickname, session) {
    try {
      window.sessionStorage.setItem(KEY, nickname);
      window.sessionStorage.setItem(KEY + '.conversation', session);
    } catch (e) { /* private mode */ }
  }

  var main = document.getElementById('contenu');
  var box = document.createElement('section');
  box.className = 'atelier-panel';
  box.setAttribute('aria-labelledby', 'atelier-title');
  var title = document.createElement('h2');
  title.id = 'atelier-title';
  title.tabIndex = -1;
  title.textContent = say('workshop');
  var intro = document.createElement('p');
  var form = document.createElement('form');
  form.className = 'atelier-form';
  form.noValidate = true;
  var label = document.createElement('label');
  label.setAttribute('for', 'atelier-nickname');
  label.textContent = say('nickname_label');
  var input = document.createElement('input');
  input.id = 'atelier-nickname';
  input.type = 'text';
  input.maxLength = 30;
  input.autocomplete = 'off';
  input.setAttribute('aria-describedby', 'atelier-error');
  var button = document.createElement('button');
  button.type = 'submit';
  button.className = 'atelier-button';
  button.textContent = say('join');
  var error = document.createElement('p');
  error.id = 'atelier-error';
  error.className = 'atelier-error';
  error.setAttribute('role', 'alert');
  var done = document.createElement('p');
  done.className = 'atelier-joined';
  done.setAttribute('role', 'status');
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(button);
  form.appendChild(error);
  box.appendChild(title);
  box.appendChild(intro);
  box.appendChild(form);
  box.appendChild(done);
  main.insertBefore(box, main.querySelector('h1').nextSibling);

  function joined(data, focus) {
    form.hidden = true;
    done.textContent = say('joined_next', { message: data.message });
    if (focus && widget()) widget().open();
  }

  function join(nickname, replaces, focus) {
    var w = widget();
    if (!w) { error.textContent = say('widget_not_loaded'); return; }
    error.textContent = '';
    var session = w.sessionId();
    var earlier = replaces || remembered('.conversation');  // a reload before any message: a new id
    post('/api/atelier/' + encodeURIComponent(code) + '/rejoindre',
      { session: session, nickname: nickname, replaces: earlier && earlier !== session ? earlier : null })
      .then(function (data) {
        if (!data.ok) { error.textContent = data.message; form.hidden = false; input.focus(); return; }
        remember(data.nickname, session);
        joined(data, focus);
      })
      .catch(function () { error.textContent = say('server_down'); });
  }

  fetch('/api/atelier/' + encodeURIComponent(code), { credentials: 'same-origin' })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      if (!data.ok) {
        intro.textContent = data.message;
        form.hidden = true;
        return;
      }
      title.textContent = say('workshop_title', { name: data.name });
      intro.textContent = say('welcome');
      var known = remembered();
      if (known) join(known, null, false);
    });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!input.value.trim()) { error.textContent = say('nickname_missing'); input.focus(); return; }
    join(input.value, null, true);
  });

  // « Recommencer »: the new conversation joins under the same name. « Fermer et effacer » or a
  // long absence erased the name too: the next person at this computer is asked again.
  document.addEventListener('amelibot:session', function (event) {
    var known = remembered();
    if (known && event.detail) {
      join(known, event.detail.previous, false);
    } else {
      done.textContent = '';
      input.value = '';
      form.hidden = false;
    }
  });
}());
