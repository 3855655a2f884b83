"""The web chat widget in a real browser, against the real servers (see conftest.py).

Every reply in these tests comes over socket.io with `session_persistence: true`: with a
python-socketio whose `enter_room` must be awaited (5.10+), Rasa 3.6 never puts the browser in
its conversation's room and every test waiting for an answer fails (the trap of issue 4).
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.browser.conftest import DESKTOP, PHONE, axe_audit, screenshot, tracker
from tests.rest_client import free_port
from tests.servers import ROOT

FORUM = "https://forum-assures.ameli.fr/"
NIR_JEAN_MARTIN = "1 75 01 69 123 456 79"
CODE_PERSONNEL = "24681357"
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def response_start(name: str) -> str:
    """The first words of a response of domain.yml, as the widget shows them."""
    return RESPONSES[name][0]["text"].split("\n")[0][:40]


# ------------------------------------------------------------------ helpers


def open_page(open_context, servers, viewport=DESKTOP):
    context, page = open_context(viewport)
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(servers["web"])
    assert response is not None and response.ok
    page.errors = errors  # type: ignore[attr-defined]
    return context, page


def open_chat(page):
    page.click("#chat-bubble")
    page.locator("#chat-panel").wait_for(state="visible")
    page.locator(".msg--bot").first.wait_for()  # the greeting


def bot_count(page) -> int:
    return page.locator(".msg--bot").count()


def say(page, text: str) -> str:
    """Type a message, send it with Enter, wait for the reply; the text of the new bot messages."""
    before = bot_count(page)
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    return wait_reply(page, before)


def click_reply(page, title: str) -> str:
    before = bot_count(page)
    page.locator(".quick-reply", has_text=title).click()
    return wait_reply(page, before)


def wait_reply(page, before: int) -> str:
    page.locator(".msg--bot").nth(before).wait_for(timeout=60_000)
    page.locator("#chat-typing").wait_for(state="hidden", timeout=60_000)  # the burst is over
    return "\n".join(m.inner_text() for m in page.locator(".msg--bot").all()[before:])


def active_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def active_text(page) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.textContent.trim() : ''")


def session_id(page) -> str:
    return page.evaluate("() => sessionStorage.getItem('amelibot.session')")


# ------------------------------------------------------------------ tests


def test_keyboard_only_code_not_received_spams_then_forum_link(open_context, servers):
    context, page = open_page(open_context, servers)
    # Open the bubble with the keyboard alone.
    for _ in range(40):
        page.keyboard.press("Tab")
        if active_id(page) == "chat-bubble":
            break
    assert active_id(page) == "chat-bubble"
    page.keyboard.press("Enter")
    page.locator("#chat-panel").wait_for(state="visible")
    assert page.get_attribute("#chat-bubble", "aria-expanded") == "true"
    assert active_id(page) == "chat-input"
    page.locator(".msg--bot").first.wait_for()

    before = bot_count(page)
    page.keyboard.type("je n'ai pas reçu mon code")
    page.keyboard.press("Enter")
    answer = wait_reply(page, before)
    assert "Spam" in answer and "15 minutes" in answer
    assert page.locator(".quick-reply", has_text="Oui, guidez-moi").count() == 1  # the guided mode is offered

    # Pick a quick reply with the keyboard: Shift+Tab back from the input to the button.
    for _ in range(15):
        page.keyboard.press("Shift+Tab")
        if active_text(page) == "Je ne l'ai toujours pas":
            break
    assert active_text(page) == "Je ne l'ai toujours pas"
    before = bot_count(page)
    page.keyboard.press("Enter")
    wait_reply(page, before)
    # The help is one « Besoin d'aide ? » button, then the help options, among them the forum.
    for title in ("Besoin d'aide ?", "Forum ameli"):
        for _ in range(60):  # the used button is gone: from the end of the page back to the replies
            page.keyboard.press("Shift+Tab")
            if active_text(page) == title:
                break
        assert active_text(page) == title
        before = bot_count(page)
        page.keyboard.press("Enter")
        wait_reply(page, before)
    link = page.locator(f".msg--bot a[href='{FORUM}']").last
    link.wait_for()
    assert link.get_attribute("target") == "_blank"
    assert set(link.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    with context.expect_page() as new_tab:
        link.click()
    tab = new_tab.value
    tab.wait_for_load_state()
    assert tab.url == FORUM
    assert tab.evaluate("() => window.opener") is None
    tab.close()

    # Escape closes the panel and gives the focus back to the bubble.
    page.bring_to_front()
    page.focus("#chat-input")
    page.keyboard.press("Escape")
    page.locator("#chat-panel").wait_for(state="hidden")
    assert active_id(page) == "chat-bubble"
    assert page.get_attribute("#chat-bubble", "aria-expanded") == "false"
    assert page.errors == []


def test_a_quick_reply_click_gets_its_answer(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    answer = click_reply(page, "Créer mon compte")
    assert response_start("utter_creer_compte") in answer
    assert page.locator(".msg--user").last.inner_text().endswith("Créer mon compte")
    assert page.locator(".quick-reply", has_text="Me connecter").count() == 0  # used replies go away


def test_markup_is_shown_as_text_and_never_runs(open_context, servers):
    _, page = open_page(open_context, servers)
    dialogs: list = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_chat(page)
    attack = "<img src=x onerror=alert(1)>"
    answer = say(page, attack)
    assert "code informatique" in answer
    assert page.locator(".msg--user").last.inner_text().endswith(attack)
    assert page.locator("#chat-log img").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img, script:not([src])').length") == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_content_security_policy_forbids_inline_scripts(open_context, servers):
    _, page = open_page(open_context, servers)
    csp = page.evaluate("async () => (await fetch('/')).headers.get('content-security-policy')")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    ran = page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1';
                   document.body.appendChild(s); return window.__inline === 1; }"""
    )
    assert ran is False


def test_the_conversation_survives_a_reload_and_goes_on(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    conversation = session_id(page)
    assert re.fullmatch(r"[0-9a-f]{32}", conversation)

    page.reload()
    page.locator("#chat-panel").wait_for(state="visible")  # still open after the reload
    log = page.inner_text("#chat-log")
    assert "je n'ai pas reçu mon code" in log and "Spam" in log
    assert session_id(page) == conversation
    # The same conversation goes on: the follow-up is answered for the topic under discussion.
    answer = say(page, "et depuis l'appli ?")
    assert answer.strip()
    events = tracker(servers["bot"], conversation)["events"]
    said = [e.get("text") for e in events if e.get("event") == "user"]
    assert "je n'ai pas reçu mon code" in said and "et depuis l'appli ?" in said
    device = page.evaluate("() => sessionStorage.getItem('amelibot.device')")
    assert all(e["metadata"].get("device_id") == device for e in events if e.get("event") == "user")


def test_restart_starts_a_new_conversation(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    first = session_id(page)
    page.click("#chat-restart")
    page.locator(".msg--notice", has_text="Nouvelle conversation").wait_for()
    page.locator(".msg--bot").first.wait_for()
    assert session_id(page) != first
    assert "je n'ai pas reçu mon code" not in page.inner_text("#chat-log")
    assert "Spam" in say(page, "je n'ai pas reçu mon code")


def test_thumbs_up_is_recorded_with_the_conversation(open_context, servers):
    _, page = open_page(open_context, servers)
    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    page.locator(".feedback").last.get_by_role("button", name="Oui, cette réponse m'a aidé").click()
    page.locator(".msg--notice", has_text="Merci pour votre avis.").wait_for()
    assert page.locator(".feedback").last.locator("[aria-pressed='true']").count() == 1
    events = tracker(servers["bot"], session_id(page))["events"]
    feedback = [
        e
        for e in events
        if e.get("event") == "user" and (e.get("parse_data") or {}).get("intent", {}).get("name") == "feedback"
    ]
    assert feedback, [e.get("parse_data", {}).get("intent") for e in events if e.get("event") == "user"]
    entities = {x["entity"]: x["value"] for x in feedback[-1]["parse_data"]["entities"]}
    assert entities == {"avis": "positif"}
    assert "Spam" in feedback[-1]["metadata"]["feedback_for"]  # which answer was judged
    actions = [e.get("name") for e in events if e.get("event") == "action"]
    assert "action_feedback" in actions


def test_unreachable_server_says_so_in_french_and_retry_works(open_context, servers):
    _, page = open_page(open_context, servers)
    dead = {"rasa_url": f"http://127.0.0.1:{free_port()}"}
    page.route(
        "**/api/config", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(dead))
    )
    page.click("#chat-bubble")
    status = page.locator("#chat-status")
    status.wait_for(state="visible", timeout=30_000)
    assert "Impossible de joindre l'assistant" in status.inner_text()
    page.unroute("**/api/config")
    page.get_by_role("button", name="Réessayer").click()
    page.locator(".msg--bot").first.wait_for()  # the greeting, sent once connected
    status.wait_for(state="hidden")
    assert "Spam" in say(page, "je n'ai pas reçu mon code")


def test_login_as_dossier_2_reading_the_code_in_the_mailbox_panel(open_context, servers):
    context, page = open_page(open_context, servers)
    open_chat(page)
    say(page, "simuler une connexion")
    click_reply(page, "Sur ordinateur")
    say(page, NIR_JEAN_MARTIN)
    say(page, CODE_PERSONNEL)
    click_reply(page, "Recevoir un code de sécurité")
    # The mail: open the panel beside the chat, find it in the inbox or the spam folder.
    page.click("#chat-mail-toggle")
    page.locator("#mail-panel").wait_for(state="visible")
    page.locator(".mail-tab[data-folder='inbox']", has_text="(").wait_for()
    for folder in ("inbox", "spam"):
        page.click(f".mail-tab[data-folder='{folder}']")
        page.locator(f".mail-tab[data-folder='{folder}'][aria-pressed='true']").wait_for()
        page.wait_for_timeout(300)
        if page.locator(".mail-item").count():
            break
    page.locator(".mail-item", has_text="code de sécurité").first.click()
    page.locator("#mail-view").wait_for(state="visible")
    code = re.search(r"\b(\d{6})\b", page.inner_text("#mail-view-body")).group(1)
    assert axe_audit(page) == []
    # Back to the chat: type the code, then tick « ordinateur personnel » (the sheets' order).
    answer = say(page, code)
    assert "ordinateur personnel" in answer and "oui ou par non" not in answer
    answer = click_reply(page, "Oui, je coche")
    assert "Vous êtes connecté" in answer
    page.click("#mail-back")
    page.locator("#mail-account", has_text="Jean Martin").wait_for()
    # The browser is the same device (stable device_id): the next login needs no code.
    say(page, "me déconnecter")
    say(page, "simuler une connexion")
    click_reply(page, "Sur ordinateur")
    say(page, NIR_JEAN_MARTIN)
    answer = say(page, CODE_PERSONNEL)
    assert "Vous êtes connecté" in answer and "Recevoir un code de sécurité" not in answer


def test_the_mailbox_api_shows_only_the_mails_of_the_conversation(servers):
    import urllib.error
    import urllib.request

    from actions.sandbox.service import Sandbox

    box = Sandbox(servers["db"])
    try:
        mine, other = "a" * 32, "b" * 32
        assert box.login(mine, NIR_JEAN_MARTIN, CODE_PERSONNEL, "device-test").ok
        assert box.request_security_code(mine).ok
    finally:
        box.close()

    def get(path):
        with urllib.request.urlopen(servers["web"] + path, timeout=30) as response:
            return json.loads(response.read())

    data = get(f"/api/mailbox?session={mine}")
    assert data["ok"]
    mails = data["folders"]["inbox"]["mails"] + data["folders"]["spam"]["mails"]
    assert any("code de sécurité" in m["subject"] for m in mails)
    assert get(f"/api/mailbox?session={other}")["ok"] is False  # no account in that conversation
    mail_id = mails[0]["id"]
    assert get(f"/api/mailbox/mail?session={mine}&id={mail_id}")["ok"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"/api/mailbox/mail?session={other}&id={mail_id}")
    assert refused.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as bad:
        get("/api/mailbox?session=%3Cscript%3E")
    assert bad.value.code == 400


@pytest.mark.parametrize("size, viewport", [("desktop", DESKTOP), ("375px", PHONE)])
def test_accessibility_audit_and_screenshots(open_context, servers, size, viewport):
    _, page = open_page(open_context, servers, viewport)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"closed-{size}")
    assert axe_audit(page) == []

    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    screenshot(page, f"chat-{size}")
    assert axe_audit(page) == []

    # The mailbox panel, for a demo account logged in in this conversation through the sandbox.
    from actions.sandbox.service import Sandbox

    box = Sandbox(servers["db"])
    try:
        conversation = session_id(page)
        box.login(conversation, NIR_JEAN_MARTIN, CODE_PERSONNEL, "device-audit")
        box.request_security_code(conversation)
    finally:
        box.close()
    page.click("#chat-mail-toggle")
    page.locator(".mail-tab[data-folder='inbox']", has_text="(").wait_for()
    for folder in ("inbox", "spam"):
        page.click(f".mail-tab[data-folder='{folder}']")
        page.wait_for_timeout(300)
        if page.locator(".mail-item").count():
            break
    page.locator(".mail-item").first.click()
    page.locator("#mail-view").wait_for(state="visible")
    screenshot(page, f"mailbox-{size}")
    assert axe_audit(page) == []


def test_usable_at_200_percent_zoom(open_context, servers):
    """1280 px at 200 %: a 640 px wide CSS viewport; everything of the panel stays reachable."""
    _, page = open_page(open_context, servers, {"width": 640, "height": 400})
    open_chat(page)
    for selector in ("#chat-input", "#chat-send", "#chat-close", "#chat-restart", "#chat-mail-toggle"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= 640 and box["y"] + box["height"] <= 400, selector
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 640


def test_bot_text_is_rendered_safely_links_lists_bold(open_context, servers):
    """The renderer, fed through the saved history (as after a reload): markup stays text,
    only http(s) links become links, **bold** and lists are drawn."""
    context, page = open_page(open_context, servers)
    dialogs: list = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    text = "\n".join(
        [
            "Voici **le point important** et l'adresse e***@g***.com.",
            "- un [lien piégé](javascript:alert(1)) et <img src=x onerror=alert(2)>",
            "- le forum : https://forum-assures.ameli.fr/.",
            "1. première étape",
            "2. deuxième étape <script>alert(3)</script>",
        ]
    )
    history = [{"who": "user", "text": "question", "turn": 1}, {"who": "bot", "text": text, "turn": 1}]
    page.evaluate("h => sessionStorage.setItem('amelibot.history', JSON.stringify(h))", history)
    page.reload()
    page.click("#chat-bubble")
    bot = page.locator(".msg--bot").last
    bot.wait_for()
    assert bot.locator("strong").inner_text() == "le point important"
    assert "e***@g***.com" in bot.inner_text()
    assert bot.locator("ul > li").count() == 2 and bot.locator("ol > li").count() == 2
    links = bot.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == FORUM  # the final "." stays outside the link
    assert page.evaluate(
        "() => [...document.querySelectorAll('#chat-log a')].every(a => a.protocol.startsWith('http'))"
    )
    assert "[lien piégé](javascript:alert(1))" in bot.inner_text()
    assert "<img src=x onerror=alert(2)>" in bot.inner_text() and "<script>alert(3)</script>" in bot.inner_text()
    assert page.locator("#chat-log img, #chat-log script").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator(".feedback").count() == 1  # one 👍/👎 for the answer
