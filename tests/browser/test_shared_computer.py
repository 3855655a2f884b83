"""A shared computer (issue 19): what the widget keeps, checked through the page's own storage
APIs, in a real Chromium against the real servers (see conftest.py).

- reload: the conversation is still there, its secrets masked;
- the tab closed, the page opened again: nothing;
- 30 minutes without activity (the page's clock mocked by Playwright): nothing;
- « Fermer et effacer »: nothing in any storage;
- over 1 000 characters: said before sending, nothing cut, the person shortens and sends.
"""

from __future__ import annotations

import json

from actions import answers
from tests.browser.test_widget import open_chat, open_page, say, session_id

NIR = "2 84 05 38 185 123 29"
NIR_MASKED = "2 84 •• •• ••• ••• 29"
PASSWORD = "mdp: 48151623"
PASSWORD_MASKED = "mdp: ••••••••"
CLEAR = ("185 123", "48151623", "2840538")

STORAGE = """() => {
  const dump = (store) => Object.fromEntries(Array.from({length: store.length}, (_, i) => store.key(i))
    .map((k) => [k, store.getItem(k)]));
  return {session: dump(sessionStorage), local: dump(localStorage), cookie: document.cookie};
}"""


def storage(page) -> dict:
    return page.evaluate(STORAGE)


def everything_kept(page) -> str:
    kept = storage(page)
    return json.dumps(kept, ensure_ascii=False) + "\n" + page.inner_text("#chat-log")


def type_secrets(page) -> None:
    for text in (NIR, PASSWORD):
        answer = say(page, text)
        assert answers.SECRET_WARNING.split(".")[0] in answer, answer
        assert all(clear not in answer.replace(" ", "") for clear in ("48151623", "284053818512329"))
    page.locator(".msg--user .msg__masked").nth(1).wait_for()  # both masked once answered


def test_reload_keeps_the_conversation_with_its_secrets_masked(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    type_secrets(page)
    users = [m.inner_text() for m in page.locator(".msg--user .msg__text").all()]
    assert users == [NIR_MASKED, PASSWORD_MASKED]  # on screen, once answered
    kept = everything_kept(page)
    assert all(clear not in kept for clear in CLEAR), kept
    assert NIR_MASKED in kept and storage(page)["local"] == {}

    page.reload()
    page.locator("#chat-panel").wait_for(state="visible")
    log = page.inner_text("#chat-log")
    assert NIR_MASKED in log and PASSWORD_MASKED in log and "ne donnez jamais" in log
    assert all(clear not in everything_kept(page) for clear in CLEAR)
    assert page.errors == []


def test_a_new_tab_after_the_tab_is_closed_shows_nothing(open_context, servers):
    context, page = open_page(open_context, servers)
    # what an older version of the widget left in localStorage goes too
    page.evaluate(
        "() => localStorage.setItem('amelibot.history', JSON.stringify([{who: 'user', text: 'vieux', turn: 1}]))"
    )
    page.reload()
    assert storage(page)["local"] == {}
    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    type_secrets(page)
    page.close()

    tab = context.new_page()
    tab.goto(servers["web"])
    tab.locator("#chat-bubble").wait_for()
    assert storage(tab) == {"session": {}, "local": {}, "cookie": ""}
    open_chat(tab)
    log = tab.inner_text("#chat-log")
    assert "je n'ai pas reçu mon code" not in log and "•" not in log and "vieux" not in log


def test_thirty_minutes_without_activity_forget_everything(open_context, servers):
    context, page = open_context()
    page.clock.install()
    page.goto(servers["web"])
    open_chat(page)
    type_secrets(page)
    first = session_id(page)

    page.clock.fast_forward("20:00")  # 20 minutes: still there
    page.wait_for_timeout(300)
    assert NIR_MASKED in page.inner_text("#chat-log")
    page.clock.fast_forward("10:30")  # 30 min 30 s since the last message
    page.locator("#chat-panel").wait_for(state="hidden")
    assert storage(page) == {"session": {}, "local": {}, "cookie": ""}
    assert page.inner_text("#chat-log") == ""
    page.reload()
    page.locator("#chat-bubble").wait_for()
    assert storage(page)["session"] == {}
    open_chat(page)
    assert NIR_MASKED not in page.inner_text("#chat-log")
    assert session_id(page) != first  # a new conversation


def test_the_idle_time_is_configurable(open_context, servers):
    context, page = open_context()
    config = json.loads(page.request.get(servers["web"] + "/api/config").text())
    assert config["idle_minutes"] == 30 and config["max_message_chars"] == 1000
    config["idle_minutes"] = 2
    page.route(
        "**/api/config",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(config)),
    )
    page.clock.install()
    page.goto(servers["web"])
    page.wait_for_function("() => document.getElementById('chat-idle-minutes').textContent === '2'")
    open_chat(page)
    assert "2\u00a0minutes sans activité" in page.inner_text("#chat-keep")
    say(page, "je n'ai pas reçu mon code")
    page.clock.fast_forward("01:00")
    page.wait_for_timeout(300)
    assert "je n'ai pas reçu mon code" in page.inner_text("#chat-log")
    page.clock.fast_forward("01:30")
    page.locator("#chat-panel").wait_for(state="hidden")
    assert storage(page)["session"] == {}


def test_a_conversation_left_too_long_is_forgotten_at_load(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    page.evaluate("() => sessionStorage.setItem('amelibot.expires', String(Date.now() - 1000))")
    page.reload()
    page.locator("#chat-bubble").wait_for()
    assert storage(page)["session"] == {}
    assert "je n'ai pas reçu mon code" not in page.inner_text("#chat-log")


def test_close_and_erase_leaves_nothing_in_any_storage(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    type_secrets(page)
    first = session_id(page)
    assert storage(page)["session"]
    page.get_by_role("button", name="Fermer et effacer").click()
    page.locator("#chat-panel").wait_for(state="hidden")
    assert storage(page) == {"session": {}, "local": {}, "cookie": ""}
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    assert page.evaluate("async () => (await caches.keys()).length") == 0
    assert page.inner_text("#chat-log") == ""
    page.reload()
    page.locator("#chat-bubble").wait_for()
    open_chat(page)
    assert NIR_MASKED not in page.inner_text("#chat-log")
    assert session_id(page) != first
    assert page.errors == []


def test_the_line_under_the_text_box_says_what_is_kept(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    line = page.inner_text("#chat-keep")
    assert "onglet" in line and "30" in line and "Fermer et effacer" in line


def test_a_message_over_the_limit_is_refused_before_sending_and_never_cut(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    assert page.get_attribute("#chat-input", "maxlength") is None
    question = "je n'ai pas reçu mon code de sécurité. "
    text = (question * 30)[:1048]
    page.fill("#chat-input", text)
    notice = page.locator("#chat-length")
    notice.wait_for(state="visible")
    assert "Votre message est trop long\u00a0: 1\u00a0048 caractères sur 1\u00a0000" in notice.inner_text()
    assert page.get_attribute("#chat-input", "aria-invalid") == "true"
    users = page.locator(".msg--user").count()
    page.press("#chat-input", "Enter")
    page.wait_for_timeout(300)
    assert page.locator(".msg--user").count() == users  # not sent
    assert page.input_value("#chat-input") == text  # nothing cut
    page.fill("#chat-input", text[:1000])
    notice.wait_for(state="hidden")
    assert page.get_attribute("#chat-input", "aria-invalid") is None
    say(page, text[:1000])
    assert page.locator(".msg--user").count() == users + 1
