"""« Écouter » on each bot message: the browser's speech synthesis in French, stubbed here.

The stub records what would be spoken (text, language, voice): the text is the message without
its URLs, a link read by its label. The button is a real button (keyboard, screen reader) and
is not drawn at all when the browser has no speech synthesis.
"""

from __future__ import annotations

from tests.browser.conftest import DESKTOP, axe_audit
from tests.browser.test_widget import open_chat, say

STUB = """
window.__spoken = [];
window.__cancelled = 0;
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speak: function (u) {
    window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name, rate: u.rate });
    window.__last = u;
  },
  cancel: function () { window.__cancelled += 1; },
  getVoices: function () { return [{ lang: 'en-US', name: 'English' }, { lang: 'fr-FR', name: 'Française' }]; }
}});
"""
NO_SPEECH = "Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: undefined });"


def page_with(open_context, servers, script):
    context, page = open_context(DESKTOP)
    context.add_init_script(script)
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(servers["web"])
    page.errors = errors  # type: ignore[attr-defined]
    return page


def spoken(page):
    return page.evaluate("() => window.__spoken")


def test_listen_reads_the_message_in_french_with_the_keyboard(open_context, servers):
    page = page_with(open_context, servers, STUB)
    open_chat(page)
    button = page.locator(".msg--bot").first.locator("button.msg-listen")
    assert button.inner_text().strip() == "Écouter" and button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")
    said = spoken(page)
    assert len(said) == 1 and said[0]["lang"] == "fr-FR" and said[0]["voice"] == "Française"
    greeting = page.locator(".msg--bot").first.inner_text()
    assert said[0]["text"].startswith("Bonjour ! Je suis l'assistant du compte ameli.")
    assert said[0]["text"] in greeting and "Écouter" not in said[0]["text"]
    assert button.get_attribute("aria-pressed") == "true" and "Arrêter la lecture" in button.inner_text()
    # the end of the reading puts the button back
    page.evaluate("() => window.__last.onend()")
    assert button.get_attribute("aria-pressed") == "false"
    # Space works too (a real button); a second press stops the reading
    button.focus()
    page.keyboard.press(" ")
    assert len(spoken(page)) == 2
    cancelled = page.evaluate("() => window.__cancelled")
    button.click()
    assert page.evaluate("() => window.__cancelled") > cancelled and len(spoken(page)) == 2
    assert button.get_attribute("aria-pressed") == "false"
    assert page.errors == []


def test_listen_never_reads_a_url_and_reads_a_link_by_its_label(open_context, servers):
    page = page_with(open_context, servers, STUB)
    open_chat(page)
    say(page, "je voudrais parler à un conseiller")
    answer = page.locator(".msg--bot", has_text="conseiller").last
    link = answer.locator("a", has_text="la carte des France Services")
    assert link.count() == 1 and link.get_attribute("href").startswith("https://anct-carto.github.io/france_services/?")
    assert "anct-carto" not in answer.inner_text()  # the map is shown as link text, never as a raw URL
    answer.locator("button.msg-listen").click()
    text = spoken(page)[-1]["text"]
    assert "la carte des France Services" in text and "36 46" in text
    assert "http" not in text and "anct" not in text

    say(page, "le forum ameli")
    forum = page.locator(".msg--bot", has_text="forum").last
    forum.locator("button.msg-listen").click()
    text = spoken(page)[-1]["text"]
    assert "forum ameli" in text and "http" not in text
    assert axe_audit(page) == []
    assert page.errors == []


def test_no_listen_button_without_speech_synthesis(open_context, servers):
    page = page_with(open_context, servers, NO_SPEECH)
    open_chat(page)
    say(page, "je n'ai pas reçu mon code")
    assert page.locator(".msg--bot").count() >= 2
    assert page.locator(".msg-listen").count() == 0
    assert page.errors == []
