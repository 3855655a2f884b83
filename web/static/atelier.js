/*
 * The trainer's pages of a workshop (web/workshops.py): open one (/atelier) and follow the
 * room (/atelier/animateur#cle=…). Vanilla JS, no build step, no inline script (CSP).
 * The trainer's secret stays in the URL fragment and goes to the API in a header only.
 * Every text is put in the page with textContent, never innerHTML.
 */
(function () {
  'use strict';

  var HEADER = 'X-Cle-Animateur';
  var REFRESH_MS = 3000;

  // The words this script writes: actions/web_answers.WIDGET_TEXTS, read by AMELIBOT_SAY('key',
  // {name: value}); both come from /static/texts.js, loaded first by the page (web/server.py).
  var say = window.AMELIBOT_SAY || function (key) { return key; };

  function $(id) { return document.getElementById(id); }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function api(method, path, body, secret) {
    var headers = { 'Content-Type': 'application/json' };
    if (secret) headers[HEADER] = secret;
    return fetch(path, {
      method: method, headers: headers, credentials: 'same-origin',
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, message: say('unreadable_response') }; });
    });
  }

  // ------------------------------------------------------------------ /atelier: open a workshop
  function openPage() {
    var form = $('open-form');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var name = $('workshop-name').value.trim();
      $('open-error').textContent = '';
      if (!name) {
        $('open-error').textContent = say('workshop_name_missing');
        $('workshop-name').focus();
        return;
      }
      api('POST', '/api/atelier', { name: name }).then(function (data) {
        if (!data.ok) { $('open-error').textContent = data.message; return; }
        var origin = window.location.origin;
        $('opened-code').textContent = data.code;
        $('opened-join').textContent = origin + data.join_path;
        $('opened-join').href = data.join_path;
        $('opened-qr').src = '/atelier/' + encodeURIComponent(data.code) + '/qr.svg';
        $('opened-qr').alt = say('qr_alt', { link: origin + data.join_path });
        $('opened-trainer').href = data.trainer_path;
        form.hidden = true;
        $('opened').hidden = false;
        $('opened-title').focus();
      }).catch(function () {
        $('open-error').textContent = say('server_down');
      });
    });
  }

  // ------------------------------------------------------------------ /atelier/animateur: the room
  function trainerPage() {
    var match = /(?:^#|&)cle=([A-Za-z0-9_-]{10,200})/.exec(window.location.hash);
    var secret = match ? match[1] : '';
    var timer = null;
    var drawnOptions = false;

    function status(text) { $('room-status').textContent = text || ''; }

    function fail(message) {
      $('room').hidden = true;
      $('room-error').textContent = message;
      if (timer) clearInterval(timer);
    }

    function clockSelect(moves, id, label) {
      var select = document.createElement('select');
      select.id = id;
      select.setAttribute('aria-label', label);
      moves.forEach(function (move) {
        var option = document.createElement('option');
        option.value = String(move.minutes);
        option.textContent = move.label;
        select.appendChild(option);
      });
      return select;
    }

    function act(path, body, done) {
      api('POST', path, body, secret).then(function (data) {
        status(data.message || '');
        refresh();
        if (done) done();
      });
    }

    function smallButton(text, ariaLabel, light, onClick) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'atelier-button atelier-button--small' + (light ? ' atelier-button--light' : '');
      button.textContent = text;
      button.setAttribute('aria-label', ariaLabel);
      button.addEventListener('click', onClick);
      return button;
    }

    function learnerActions(td, learner, moves) {
      var label = learner.nickname;
      var select = clockSelect(moves, 'clock-' + learner.id, say('clock_select_label', { name: label }));
      td.appendChild(select);
      td.appendChild(smallButton(say('advance'), say('advance_label', { name: label }), false, function () {
        act('/api/atelier/horloge', { minutes: parseInt(select.value, 10), learner: learner.id });
      }));
      td.appendChild(smallButton(say('reset'), say('reset_label', { name: label }), true, function () {
        if (window.confirm(say('reset_confirm', { name: label }))) {
          act('/api/atelier/remise-a-zero', { learner: learner.id });
        }
      }));
    }

    function draw(data) {
      $('room-error').textContent = '';
      $('room').hidden = false;
      document.title = say('room_page_title', { name: data.name });
      $('room-title').textContent = say('workshop_title', { name: data.name });
      $('room-code').textContent = data.code;
      $('room-join').textContent = window.location.origin + data.join_path;
      $('room-join').href = data.join_path;
      $('room-clock').textContent = data.clock_label ? say('room_clock', { delay: data.clock_label }) : '';
      if (!drawnOptions) {
        var select = $('room-clock-move');
        data.clock_moves.forEach(function (move) {
          var option = document.createElement('option');
          option.value = String(move.minutes);
          option.textContent = move.label;
          select.appendChild(option);
        });
        $('room-qr').src = '/atelier/' + encodeURIComponent(data.code) + '/qr.svg';
        $('room-qr').alt = say('qr_alt', { link: window.location.origin + data.join_path });
        drawnOptions = true;
      }
      // Update the texts in place: the controls a trainer is using (a chosen delay, focus) stay.
      var body = $('room-rows');
      data.learners.forEach(function (learner) {
        var row = body.querySelector('tr[data-learner="' + learner.id + '"]');
        if (!row) {
          row = document.createElement('tr');
          row.setAttribute('data-learner', String(learner.id));
          var th = document.createElement('th');
          th.scope = 'row';
          row.appendChild(th);
          ['', 'atelier-step', 'atelier-mistakes', 'atelier-state', '', ''].forEach(function (name) {
            cell(row, '', name);
          });
          learnerActions(cell(row, ''), learner, data.clock_moves);
          body.appendChild(row);
        }
        var texts = [learner.nickname, learner.exercise, learner.step || '—', String(learner.mistakes),
          learner.status_label || '—', learner.last_activity_label,
          learner.world_time + (learner.own_clock_label ? ' (+' + learner.own_clock_label + ')' : '')];
        texts.forEach(function (text, i) {
          if (row.cells[i].textContent !== text) row.cells[i].textContent = text;
        });
        row.className = learner.status ? 'is-' + learner.status.replace('_', '-') : '';
        row.cells[3].classList.toggle('is-high', learner.mistakes >= 3);
      });
      var ids = data.learners.map(function (l) { return String(l.id); });
      Array.prototype.slice.call(body.querySelectorAll('tr')).forEach(function (row) {
        if (ids.indexOf(row.getAttribute('data-learner')) < 0) body.removeChild(row);
      });
      $('room-empty').hidden = data.learners.length > 0;
    }

    function refresh() {
      return api('GET', '/api/atelier/salle', null, secret).then(function (data) {
        if (!data.ok) { fail(data.message); return; }
        draw(data);
      }).catch(function () { status(say('server_down_retrying')); });
    }

    if (!secret) {
      fail(say('trainer_link_invalid'));
      return;
    }
    $('room-clock-form').addEventListener('submit', function (event) {
      event.preventDefault();
      act('/api/atelier/horloge', { minutes: parseInt($('room-clock-move').value, 10) });
    });
    refresh();
    timer = setInterval(refresh, REFRESH_MS);
  }

  var page = document.body.getAttribute('data-page');
  if (page === 'ouvrir') openPage();
  if (page === 'animateur') trainerPage();
}());
