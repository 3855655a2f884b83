"""A workshop in real browsers: the trainer opens it, two learners join and practise, the trainer
follows the room (issue 14). Real servers (conftest.py), Debian's chromium."""

from __future__ import annotations

import re

from tests.browser.conftest import DESKTOP, PHONE, axe_audit, screenshot
from tests.browser.test_widget import say

MARIE = ["2 84 05 38 185 123 29", "Durand", "12/05/1984"]
JEAN = ["/depuis_ordinateur", "1 75 01 69 123 456 79", "24681357"]  # « Sur ordinateur », then sheet 09


def _row(page, nickname: str):
    return page.locator("#room-rows tr", has=page.locator("th", has_text=nickname))


def _open_workshop(open_context, servers):
    context, page = open_context(DESKTOP)
    page.goto(servers["web"] + "/atelier")
    page.fill("#workshop-name", "Créer son compte – mardi")
    page.click("text=Ouvrir l'atelier")
    page.locator("#opened").wait_for(state="visible")
    code = page.inner_text("#opened-code")
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    # the QR code is an image: on a busy machine it may still be loading
    page.wait_for_function(
        "() => { const i = document.querySelector('#opened-qr'); return i.complete && i.naturalWidth > 0 }"
    )
    assert axe_audit(page) == []
    join = page.get_attribute("#opened-join", "href")
    trainer = page.get_attribute("#opened-trainer", "href")
    assert join == f"/atelier/{code}" and trainer.startswith("/atelier/animateur#cle=")
    return page, code, join, trainer


def _join(open_context, servers, join: str, nickname: str, viewport=DESKTOP):
    context, page = open_context(viewport)
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(servers["web"] + join)
    page.locator("#atelier-title", has_text="Créer son compte – mardi").wait_for()
    page.fill("#atelier-nickname", nickname)
    page.click("text=Rejoindre l'atelier")
    page.locator(".atelier-joined", has_text=f"Bienvenue {nickname}").wait_for()
    page.locator("#chat-panel").wait_for(state="visible")  # the chat opens by itself
    page.locator(".msg--bot").first.wait_for()
    assert errors == []
    return page


def test_a_trainer_follows_two_learners_practising_in_their_own_worlds(open_context, servers):
    opener, code, join, trainer_path = _open_workshop(open_context, servers)
    trainer = opener
    trainer.goto(servers["web"] + trainer_path)
    trainer.locator("#room-code", has_text=code).wait_for()
    trainer.locator("#room-empty").wait_for(state="visible")

    lea = _join(open_context, servers, join, "Léa")
    max_ = _join(open_context, servers, join, "Max", PHONE)
    _row(trainer, "Léa").wait_for()
    _row(trainer, "Max").wait_for()
    assert "pas encore commencé" in _row(trainer, "Léa").inner_text()

    # Léa creates Marie Durand's account, with one wrong RIB; Max logs into Jean Martin's.
    say(lea, "je veux m'entraîner à créer mon compte")
    for text in MARIE:
        say(lea, text)
    say(lea, "0000000")
    _row(trainer, "Léa").locator("td", has_text="5/11 RIB").wait_for(timeout=15_000)
    _row(trainer, "Léa").locator(".atelier-mistakes", has_text=re.compile(r"^1$")).wait_for(timeout=15_000)
    say(max_, "simuler une connexion")
    for text in JEAN:
        say(max_, text)
    _row(trainer, "Max").locator("td", has_text="4/6 Recevoir un code de sécurité").wait_for(timeout=15_000)
    # Both learners on the same demo dossiers: Léa's creation does not touch Max's world.
    say(lea, "7890189")
    _row(trainer, "Léa").locator("td", has_text="6/11 carte Vitale").wait_for(timeout=15_000)
    _row(trainer, "Léa").locator(".atelier-mistakes", has_text=re.compile(r"^0$")).wait_for(timeout=15_000)

    # The trainer moves Max's clock only, then resets Léa.
    row = _row(trainer, "Max")
    row.locator("select").select_option(label="8 jours")
    row.locator("button", has_text="Avancer").click()
    trainer.locator("#room-status", has_text="avance de 8 jours").wait_for()
    _row(trainer, "Max").locator("td", has_text="(+8 jours)").wait_for()
    assert "(+" not in _row(trainer, "Léa").inner_text()
    trainer.on("dialog", lambda dialog: dialog.accept())
    _row(trainer, "Léa").locator("button", has_text="Remettre à zéro").click()
    trainer.locator("#room-status", has_text="Léa est remis à zéro").wait_for()
    _row(trainer, "Léa").locator("td", has_text="pas encore commencé").wait_for()
    assert axe_audit(trainer) == []
    screenshot(trainer, "workshop-trainer-desktop")

    # No learner page can open the trainer's page: its secret is not in the learner's link.
    assert "cle=" not in lea.content()
    lea.goto(servers["web"] + "/atelier/animateur")
    lea.locator("#room-error", has_text="Lien d'animateur invalide").wait_for()
    assert lea.locator("#room").is_hidden()
    lea.goto(servers["web"] + f"/atelier/animateur#cle={code}")
    lea.locator("#room-error", has_text="Lien d'animateur invalide").wait_for()
    assert lea.locator("#room").is_hidden()


def test_the_join_page_is_accessible_and_refuses_a_real_identity(open_context, servers):
    opener, code, join, _ = _open_workshop(open_context, servers)
    context, page = open_context(PHONE)
    page.goto(servers["web"] + join)
    page.locator("#atelier-title", has_text="Créer son compte").wait_for()
    assert axe_audit(page) == []
    page.fill("#atelier-nickname", "marie.durand@example.fr")
    page.click("text=Rejoindre l'atelier")
    page.locator("#atelier-error", has_text="prénom ou un pseudo").wait_for()
    screenshot(page, "workshop-join-375px")
    page.goto(servers["web"] + "/atelier/ZZZZZZ")
    page.locator(".atelier-panel", has_text="n'existe pas").wait_for()
