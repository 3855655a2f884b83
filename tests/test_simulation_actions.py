"""The sandbox exercises' actions, run as the action server runs them (rasa_sdk Tracker +
CollectingDispatcher), on a temporary sandbox with a fake clock and no spam."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.sandbox import FakeClock, Sandbox, policy
from actions.sandbox.steps import CreationStep
from actions.sandbox_answers import status_label
from actions.simulation import agenda, common, creation, flow, login, mailbox, trainer

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
START = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)  # a Monday morning

MARIE = ("2 84 05 38 185 123 29", "Durand", "12/05/1984")
JEAN_NIR, JEAN_CODE = "1 75 01 69 123 456 79", "24681357"
AHMED_NIR, AHMED_CODE = "1 55 05 99 350 012 58", "4826"
NADIA_NIR, NADIA_CODE = "2 62 10 69 055 078 27", "73519046"  # 8-digit code of the kiosks
SEEDS = Path(__import__("os").environ.get("SHARED_DIR") or ROOT.parent / "shared") / "seeds"


def sheet(name: str) -> str:
    """A sheet on one line, typographic apostrophes made plain."""
    assert (SEEDS / name).is_file(), f"the sheets are needed: {SEEDS} (set SHARED_DIR)"
    return re.sub(r"\s+", " ", (SEEDS / name).read_text(encoding="utf-8").replace("’", "'"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def sb(tmp_path, clock, monkeypatch) -> Sandbox:
    monkeypatch.setattr(policy, "SCRYPT_N", 2**8)
    box = Sandbox(f"sqlite:///{tmp_path / 'sandbox.sqlite3'}", clock=clock, spam_share=0.0)
    monkeypatch.setattr(common, "get_sandbox", lambda: box)
    yield box
    box.close()


class Chat:
    """One conversation: keeps the slots, builds trackers, runs actions."""

    def __init__(self, sender: str = "conv-1") -> None:
        self.sender = sender
        self.slots: Dict[str, Any] = {}
        self.messages: List[Dict[str, Any]] = []

    def tracker(
        self,
        text: str = "",
        intent: str = "",
        entities: Optional[list] = None,
        new: Optional[Dict[str, Any]] = None,
        metadata: Optional[dict] = None,
    ) -> Tracker:
        events = [
            {
                "event": "user",
                "text": text,
                "metadata": metadata or {},
                "parse_data": {"intent": {"name": intent}, "entities": entities or []},
            }
        ]
        events += [{"event": "slot", "name": k, "value": v} for k, v in (new or {}).items()]
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": entities or [],
            "intent_ranking": [],
            "metadata": metadata or {},
        }
        return Tracker(self.sender, {**self.slots, **(new or {})}, latest, events, False, None, {}, "action_listen")

    def run(
        self,
        action,
        text: str = "",
        intent: str = "",
        entities: Optional[list] = None,
        new: Optional[Dict[str, Any]] = None,
        metadata: Optional[dict] = None,
    ) -> str:
        dispatcher = CollectingDispatcher()
        tracker = self.tracker(text, intent, entities, new, metadata)
        self.slots.update(new or {})
        events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.messages = dispatcher.messages
        return "\n".join(m.get("text") or "" for m in dispatcher.messages)

    def ask(self, slot: str) -> str:
        """The form asks for `slot`: its `utter_ask_<slot>` response, rendered by Rasa with the slots."""
        from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

        generator = TemplatedNaturalLanguageGenerator(DOMAIN["responses"])
        response = generator.generate_from_slots(f"utter_ask_{slot}", dict(self.slots), "rest")
        assert response is not None, f"no utter_ask_{slot} in domain.yml"
        self.messages = [response]
        return response["text"]

    def answer(self, form_validation, slot: str, value: Any, intent: str = "informer", entities=None) -> str:
        """The user answers the question of a form: Rasa extracted `value` into `slot`."""
        self.slots["requested_slot"] = slot
        return self.run(form_validation, text=str(value), intent=intent, entities=entities, new={slot: value})

    @property
    def buttons(self) -> List[Dict[str, str]]:
        return [b for m in self.messages for b in (m.get("buttons") or [])]


def creation_until_rib(chat: Chat, person=MARIE) -> str:
    form = creation.ValidateCreationForm()
    chat.run(flow.ActionSimulationIntro(), intent="simuler_creation")
    chat.answer(form, "simu_nir", person[0])
    chat.answer(form, "simu_nom", person[1])
    return chat.answer(form, "simu_naissance", person[2])


def start_login(chat: Chat, support: str = "ordinateur") -> None:
    form = login.ValidateConnexionForm()
    chat.run(flow.ActionSimulationIntro(), intent="simuler_connexion")
    chat.answer(form, "simu_support", support, intent=f"depuis_{support}")
    assert chat.slots["simu_support"] == support and chat.slots["requested_slot"] == "simu_login_nir"


def login_until_code_sent(chat: Chat, support: str = "ordinateur") -> str:
    form = login.ValidateConnexionForm()
    start_login(chat, support)
    chat.answer(form, "simu_login_nir", JEAN_NIR)
    chat.answer(form, "simu_login_code", JEAN_CODE)
    assert chat.slots["simu_etape"] == "code_requis"
    return chat.answer(form, "simu_envoi_code", "oui", intent="affirmer")


def code_from_mailbox(chat: Chat) -> str:
    chat.run(mailbox.ActionReadMail(), intent="simuler_lire_mail")
    return re.search(r"^(\d{6})$", chat.messages[0]["text"], re.M).group(1)


# -- creation (sheet 07) ------------------------------------------------------------------


def test_intro_says_simulation_and_lists_demo_dossiers(sb):
    chat = Chat()
    text = chat.run(flow.ActionSimulationIntro(), intent="simuler_creation")
    assert "simulation" in text and "jamais" in text and "2 84 05 38 185 123 29" in text
    assert "annuler" in text
    assert all(chat.slots[s] is None for s in common.FORM_SLOTS)


@pytest.mark.parametrize("intent, dossiers", [("simuler_creation", 4), ("simuler_connexion", 3)])
def test_intro_is_short_messages_one_per_dossier(sb, intent, dossiers):
    chat = Chat()
    chat.run(flow.ActionSimulationIntro(), intent=intent)
    texts = [m["text"] for m in chat.messages]
    assert len(texts) == 2 + dossiers
    assert sum(bool(re.match(r"\d\. ", t)) for t in texts) == dossiers
    assert all(len(re.findall(r"\w+", t)) <= 60 for t in texts), texts


def test_creation_of_demo_dossier_1_up_to_activation(sb):
    chat, form = Chat(), creation.ValidateCreationForm()
    assert "reconnues" in creation_until_rib(chat)
    assert chat.slots["simu_etape"] == "rib" and chat.slots["requested_slot"] == "simu_rib"
    assert "IBAN" in chat.answer(form, "simu_rib", "1234567")  # wrong RIB: which rule, what to type
    assert chat.slots["simu_essais"] == {"simu_rib": 1} and chat.slots["requested_slot"] == "simu_rib"
    chat.answer(form, "simu_rib", "7890189")
    assert chat.slots["requested_slot"] == "simu_vitale"
    chat.answer(form, "simu_vitale", "10234567891")
    assert chat.slots["requested_slot"] == "simu_cgu"
    chat.answer(form, "simu_cgu", "oui", intent="affirmer")
    assert chat.slots["requested_slot"] == "simu_email"
    assert "pas valide" in chat.answer(form, "simu_email", "marie.durand@")
    chat.answer(form, "simu_email", "marie.durand@example.org")
    assert "06 ou 07" in chat.answer(form, "simu_mobile", "01 23 45 67 89")
    chat.answer(form, "simu_mobile", "06 11 22 33 44")
    assert chat.slots["requested_slot"] == "simu_code_perso"
    assert "8 à 13 chiffres" in chat.answer(form, "simu_code_perso", "1234")
    text = chat.answer(form, "simu_code_perso", "13572468")
    assert "Votre compte est créé" in text and "13572468" not in text
    assert chat.slots["simu_code_perso"] is None  # the secret does not stay in a slot
    assert chat.slots["requested_slot"] is None  # the form is done
    end = chat.run(creation.ActionCreationEnd())
    assert "lien" in end and chat.buttons[0]["payload"] == "/simuler_boite_mail"

    chat.run(mailbox.ActionMailbox(), intent="simuler_boite_mail")
    assert "Boîte de réception : 1 mail" in " ".join(m["text"] for m in chat.messages)
    text = chat.run(mailbox.ActionReadMail(), intent="simuler_lire_mail")
    assert "Activez votre compte ameli" in text and "valable 7 jours" in text
    assert chat.buttons[0]["payload"].startswith("/simuler_clic_lien")
    assert "activé" in chat.run(mailbox.ActionOpenLink(), text="j'ai cliqué sur le lien", intent="simuler_clic_lien")


def test_expired_link_is_refused_and_a_new_one_sent(sb, clock):
    chat, form = Chat(), creation.ValidateCreationForm()
    creation_until_rib(chat)
    for slot, value in [
        ("simu_rib", "7890189"),
        ("simu_vitale", "10234567891"),
        ("simu_cgu", "oui"),
        ("simu_email", "m.d@example.org"),
        ("simu_mobile", "0611223344"),
        ("simu_code_perso", "13572468"),
    ]:
        chat.answer(form, slot, value)
    chat.run(
        trainer.ActionAdvanceClock(),
        text="avancer de 8 jours",
        intent="avancer_horloge",
        entities=[{"entity": "duree", "value": "8 jours"}],
    )
    text = chat.run(mailbox.ActionOpenLink(), text="j'ai cliqué", intent="simuler_clic_lien")
    assert "expiré" in text and "nouveau lien" in text


@pytest.mark.parametrize(
    "nir, name, born, expected",
    [
        ("7 92 03 75 112 045 42", "Haddad", "08/03/1992", "provisoire"),
        ("1 68 02 33 005 017 54", "Bernard", "17/02/1968", "Aucun RIB"),
        ("2 91 07 31 555 088 94", "Leroy", "30/07/1991", "MSA"),
    ],
)
def test_blocking_cases_of_sheet_07_end_the_form_with_what_to_do(sb, nir, name, born, expected):
    chat, form = Chat(), creation.ValidateCreationForm()
    chat.run(flow.ActionSimulationIntro(), intent="simuler_creation")
    text = chat.answer(form, "simu_nir", nir)
    if "provisoire" not in expected:
        chat.answer(form, "simu_nom", name)
        text = chat.answer(form, "simu_naissance", born)
    assert expected in text and "France Services" in text
    assert chat.slots["simu_fin"] == "refus" and chat.slots["requested_slot"] is None
    chat.run(creation.ActionCreationEnd())
    assert any(b["payload"] == "/france_services" for b in chat.buttons)


def test_three_wrong_answers_end_the_exercise_kindly(sb):
    chat, form = Chat(), creation.ValidateCreationForm()
    creation_until_rib(chat)
    for _ in range(3):
        text = chat.answer(form, "simu_rib", "AAAAAAA")
    assert "ne correspondent pas" in text and "arrêtons" in text
    assert chat.slots["simu_fin"] == "essais" and chat.slots["requested_slot"] is None
    chat.run(creation.ActionCreationEnd())
    assert "France Services" in chat.messages[0]["text"]


def test_a_question_in_the_middle_gets_help_on_the_field(sb):
    chat = Chat()
    chat.slots["requested_slot"] = "simu_vitale"
    assert "numéro de série" in chat.run(flow.ActionFieldHelp(), "je trouve pas le numéro de série", "carte_vitale")
    chat.slots["requested_slot"] = "simu_rib"
    assert "IBAN" in chat.run(flow.ActionFieldHelp(), "c'est quoi le RIB ?", "creer_compte")
    chat.run(flow.ActionFieldHelp(), "c'est où le forum", "forum")
    assert chat.messages[0].get("response") == "utter_forum"


def test_a_question_typed_as_the_value_gets_help_without_counting_a_try(sb):
    chat, form = Chat(), creation.ValidateCreationForm()
    creation_until_rib(chat)
    text = chat.answer(form, "simu_rib", "c'est quoi le RIB ?", intent="nlu_fallback")
    assert "IBAN" in text and chat.slots["simu_rib"] is None
    assert not chat.slots.get("simu_essais") and chat.slots["requested_slot"] == "simu_rib"


def test_stop_empties_the_exercise(sb):
    chat = Chat()
    chat.slots.update({"simu_etape": "rib", "simu_essais": {"simu_rib": 2}})
    assert "arrêté" in chat.run(flow.ActionStop(), "annuler", "arreter")
    assert chat.slots["simu_etape"] is None and chat.slots["simu_essais"] is None


def test_stop_shows_the_learner_as_stopped_in_the_trainers_view(sb):
    workshop, chat = sb.create_workshop("Atelier créer son compte"), Chat()
    assert sb.join_workshop(chat.sender, workshop.data["code"], "Léa").ok
    creation_until_rib(chat)
    chat.run(flow.ActionStop(), "annuler", "arreter")
    (row,) = sb.workshop_room(workshop.data["trainer_secret"]).data["learners"]
    assert status_label(row) == "arrêté"


# -- login (sheets 09, 08, « Connexion compte ameli ») --------------------------------------


def test_login_of_demo_dossier_2_with_the_code_from_the_mailbox(sb):
    chat, form = Chat(), login.ValidateConnexionForm()
    text = login_until_code_sent(chat)
    assert "j***@e***" in text or "***" in text
    assert chat.slots["requested_slot"] == "simu_code_securite"
    chat.run(mailbox.ActionMailbox(), intent="simuler_boite_mail")
    listing = " ".join(m["text"] for m in chat.messages)
    assert "Boîte de réception" in listing and "Spam" in listing
    code = code_from_mailbox(chat)
    assert "strictement personnel" in chat.messages[0]["text"]
    assert "15 minutes" in chat.messages[0]["text"]
    wrong = "000000" if code != "000000" else "111111"
    chat.answer(form, "simu_code_securite", wrong)
    assert chat.slots["requested_slot"] == "simu_ordi_perso"
    assert "incorrect" in chat.answer(form, "simu_ordi_perso", "non", intent="nier")
    assert chat.slots["simu_code_securite"] is None and chat.slots["requested_slot"] == "simu_code_securite"
    chat.answer(form, "simu_code_securite", code)
    text = chat.answer(form, "simu_ordi_perso", "non", intent="nier")
    assert "connecté" in text and code not in text
    assert chat.slots["simu_code_securite"] is None and chat.slots["simu_connecte"] is True
    assert chat.slots["requested_slot"] is None
    chat.run(login.ActionConnexionEnd())
    assert "/simuler_rdv" in [b["payload"] for b in chat.buttons]
    assert sb.session_info(chat.sender).ok


def test_sheets_09_and_connexion_the_code_is_typed_then_the_box_is_ticked(sb):
    """« Saisissez le code de sécurité reçu par mail », then « Je me connecte avec mon ordinateur
    personnel »: the code typed first is kept for the box, then both go to the sandbox together."""
    connexion = sheet("003_a259eca033f20e35.txt")
    assert (
        "L'assuré renseigne le code reçu sur sa boîte mail" in connexion
        and "Puis l'assuré coche la case indiquant qu'il se connecte avec son ordinateur personnel" in connexion
    )
    assert connexion.index("L'assuré renseigne le code reçu") < connexion.index("Puis l'assuré coche la case")
    sheet_09 = sheet("001_8375dc5a232b16a1.txt")
    assert sheet_09.index("je saisis le code reçu dans le mail") < sheet_09.index("je coche la case pour")
    chat, form = Chat(), login.ValidateConnexionForm()
    login_until_code_sent(chat)
    code = code_from_mailbox(chat)
    text = chat.answer(form, "simu_code_securite", f"le code c'est {code[:3]} {code[3:]}")
    assert "oui ou par non" not in text and code not in text
    assert chat.slots["requested_slot"] == "simu_ordi_perso"
    assert not sb.session_info(chat.sender).ok  # nothing sent yet: « Me connecter » sends both
    chat.ask("simu_ordi_perso")
    assert "ordinateur personnel" in chat.messages[0]["text"]
    assert "6 mois" in chat.answer(form, "simu_ordi_perso", "oui", intent="affirmer")
    assert sb.session_info(chat.sender).ok
    assert chat.slots["simu_code_securite"] is None and chat.slots["simu_ordi_perso"] is None  # never kept after


def test_a_malformed_code_is_refused_before_the_box(sb):
    chat, form = Chat(), login.ValidateConnexionForm()
    login_until_code_sent(chat)
    text = chat.answer(form, "simu_code_securite", "12345")
    assert "6 chiffres" in text and chat.slots["requested_slot"] == "simu_code_securite"


def test_sheet_08_the_app_has_no_box_and_no_tabs(sb):
    app = sheet("000_65b1921467ee2062.txt")
    assert "en prenant soin de laisser ouverte la fenêtre avec l'appli ameli" in app
    assert "onglet" not in app and "ordinateur personnel" not in app
    chat, form = Chat(), login.ValidateConnexionForm()
    chat.run(flow.ActionSimulationIntro(), intent="simuler_connexion")
    chat.ask("simu_support")
    assert {"/depuis_ordinateur", "/depuis_appli"} <= {b["payload"] for b in chat.buttons}
    assert "appli" in chat.messages[0]["text"] and "ordinateur" in chat.messages[0]["text"]
    chat.answer(form, "simu_support", "sur ma tablette")
    assert chat.slots["simu_support"] == "appli" and chat.slots["requested_slot"] == "simu_login_nir"
    chat.ask("simu_login_code")
    assert "« Se connecter »" in chat.messages[0]["text"] and "Me connecter" not in chat.messages[0]["text"]
    login_until_code_sent(chat, "appli")
    chat.ask("simu_code_securite")
    prompt = chat.messages[0]["text"]
    assert "onglet" not in prompt and "gardant l'appli ameli ouverte" in prompt
    text = chat.answer(form, "simu_code_securite", code_from_mailbox(chat))
    assert "connecté" in text and "6 mois" not in text
    assert chat.slots["requested_slot"] is None and chat.slots["simu_code_securite"] is None
    assert sb.session_info(chat.sender).ok


def test_a_support_answer_that_is_neither_is_asked_again(sb):
    chat, form = Chat(), login.ValidateConnexionForm()
    chat.run(flow.ActionSimulationIntro(), intent="simuler_connexion")
    assert "ordinateur" in chat.answer(form, "simu_support", "bof")
    assert chat.slots["requested_slot"] == "simu_support"


def test_wrong_password_is_refused_and_not_repeated(sb):
    chat, form = Chat(), login.ValidateConnexionForm()
    start_login(chat)
    chat.answer(form, "simu_login_nir", JEAN_NIR)
    text = chat.answer(form, "simu_login_code", "99999999")
    assert "incorrect" in text and "99999999" not in text
    assert chat.slots["simu_login_code"] is None and chat.slots["requested_slot"] == "simu_login_nir"


def test_expired_code_asks_for_a_new_one(sb, clock):
    chat, form = Chat(), login.ValidateConnexionForm()
    login_until_code_sent(chat)
    code = code_from_mailbox(chat)
    chat.run(trainer.ActionAdvanceClock(), "avancer l'horloge de 16 minutes", "avancer_horloge")
    chat.answer(form, "simu_code_securite", code)
    text = chat.answer(form, "simu_ordi_perso", "non")
    assert "expiré" in text and chat.slots["requested_slot"] == "simu_envoi_code"


def test_personal_computer_then_new_browser_asks_the_code_again(sb):
    chat, form = Chat(), login.ValidateConnexionForm()
    login_until_code_sent(chat)
    chat.answer(form, "simu_code_securite", code_from_mailbox(chat))
    assert "6 mois" in chat.answer(form, "simu_ordi_perso", "oui", intent="affirmer")
    chat.run(login.ActionLogout(), intent="simuler_deconnexion")
    assert not sb.session_info(chat.sender).ok
    start_login(chat)
    chat.answer(form, "simu_login_nir", JEAN_NIR)
    assert "reconnu" in chat.answer(form, "simu_login_code", JEAN_CODE)  # trusted: no code
    assert "autre navigateur" in chat.run(trainer.ActionChangeBrowser(), intent="changer_navigateur")
    assert not sb.session_info(chat.sender).ok and chat.slots["simu_connecte"] is False
    start_login(chat)
    chat.answer(form, "simu_login_nir", JEAN_NIR)
    chat.answer(form, "simu_login_code", JEAN_CODE)
    assert chat.slots["simu_etape"] == "code_requis"


def test_device_comes_from_metadata_else_from_the_sender(sb):
    chat = Chat("conv-device")
    assert asyncio.run(login.device_id(chat.tracker(metadata={"device_id": "widget-42"}))) == "widget-42"
    derived = asyncio.run(login.device_id(chat.tracker()))
    assert derived.startswith("chat-") and derived == asyncio.run(login.device_id(chat.tracker()))


def test_code_provisoire_route_of_sheet_1_1(sb):
    chat, form = Chat(), login.ValidateConnexionForm()
    start_login(chat)
    chat.answer(form, "simu_login_nir", AHMED_NIR)
    text = chat.answer(form, "simu_login_code", AHMED_CODE)
    assert "code provisoire" in text and AHMED_CODE not in text
    assert chat.slots["requested_slot"] == "simu_code_perso"
    chat.answer(form, "simu_code_perso", "1122334455")
    assert chat.slots["requested_slot"] == "simu_cgu"
    chat.answer(form, "simu_cgu", "oui", intent="affirmer")
    chat.answer(form, "simu_email", "ahmed.benali@example.org")
    chat.answer(form, "simu_mobile", "07 11 22 33 44")
    assert chat.slots["requested_slot"] == "simu_contacts"  # « Accepter ou non les contacts »
    chat.ask("simu_contacts")
    assert "accepter ou non les contacts" in chat.messages[0]["text"]
    assert {"/affirmer", "/nier"} <= {b["payload"] for b in chat.buttons}
    assert "oui ou par non" in chat.answer(form, "simu_contacts", "peut-être")
    text = chat.answer(form, "simu_contacts", "non", intent="nier")  # refusing is fine too
    assert "Votre compte est créé" in text and chat.slots["requested_slot"] is None
    chat.run(login.ActionConnexionEnd())
    assert "lien" in chat.messages[0]["text"]
    assert "activé" in chat.run(mailbox.ActionOpenLink(), "j'ai cliqué sur le lien", "simuler_clic_lien")


def test_sheet_1_1_an_8_digit_kiosk_code_is_not_personalised(sb):
    assert "code déjà personnalisé pour accéder aux bornes multi-services" in sheet("004_3a21d8423102286a.txt")
    chat, form = Chat(), login.ValidateConnexionForm()
    start_login(chat)
    chat.answer(form, "simu_login_nir", NADIA_NIR)
    text = chat.answer(form, "simu_login_code", NADIA_CODE)
    assert "bornes multi-services" in text and NADIA_CODE not in text
    assert chat.slots["requested_slot"] == "simu_cgu"  # no new password to choose
    chat.answer(form, "simu_cgu", "oui", intent="affirmer")
    chat.answer(form, "simu_email", "nadia.moreau@example.org")
    chat.answer(form, "simu_mobile", "06 55 44 33 22")
    text = chat.answer(form, "simu_contacts", "oui", intent="affirmer")
    assert "Votre compte est créé" in text


def test_forced_slots_cannot_log_in_or_book(sb):
    """A user typing /simuler_rdv{"simu_connecte": true} is still not logged in, in the sandbox."""
    chat = Chat()
    chat.slots.update({"simu_connecte": True, "simu_etape": "connecte"})
    form = agenda.ValidateRdvForm()
    slots = asyncio.run(form.required_slots([], CollectingDispatcher(), chat.tracker(), DOMAIN))
    assert slots == []
    assert "connecter" in chat.run(agenda.ActionRdvEnd())
    assert chat.slots["simu_connecte"] is False
    assert "Connectez-vous" in chat.run(
        agenda.ActionMyAppointments(), intent="simuler_mes_rdv", entities=[{"entity": "rdv_id", "value": "1"}]
    )


# -- « Mon agenda » -------------------------------------------------------------------------


def test_phone_appointment_book_list_cancel(sb):
    chat, connexion = Chat(), login.ValidateConnexionForm()
    login_until_code_sent(chat)
    chat.answer(connexion, "simu_code_securite", code_from_mailbox(chat))
    chat.answer(connexion, "simu_ordi_perso", "non")
    form = agenda.ValidateRdvForm()
    chat.run(flow.ActionSimulationIntro(), intent="simuler_rdv")
    chat.run(agenda.AskMotif())
    assert chat.buttons[0]["payload"] == '/informer{"motif_rdv":"compte_ameli"}'
    chat.answer(form, "simu_motif", "compte_ameli")
    assert chat.slots["requested_slot"] == "simu_creneau"
    chat.run(agenda.AskCreneau())
    slot_id = re.search(r'"creneau":"([^"]+)"', chat.buttons[0]["payload"]).group(1)
    assert "pas reconnu ce créneau" in chat.answer(form, "simu_creneau", "2030-01-01T03:00")
    chat.answer(form, "simu_creneau", slot_id)
    chat.run(agenda.AskConfirmation())
    assert "Mon compte ameli" in chat.messages[0]["text"]
    text = chat.answer(form, "simu_confirmation", "oui", intent="affirmer")
    assert "rendez-vous téléphonique est pris" in text and chat.slots["requested_slot"] is None
    chat.run(agenda.ActionRdvEnd())
    text = chat.run(agenda.ActionMyAppointments(), intent="simuler_mes_rdv")
    assert "1 rendez-vous" in text
    rdv_id = re.search(r'"rdv_id":"(\d+)"', chat.buttons[0]["payload"]).group(1)
    text = chat.run(
        agenda.ActionMyAppointments(), intent="simuler_mes_rdv", entities=[{"entity": "rdv_id", "value": rdv_id}]
    )
    assert "annulé" in text and "aucun rendez-vous" in text


def logged_in_at_rdv(chat: Chat) -> agenda.ValidateRdvForm:
    """Jean logged in (sandbox), the rdv exercise started: the reason is asked."""
    connexion = login.ValidateConnexionForm()
    login_until_code_sent(chat)
    chat.answer(connexion, "simu_code_securite", code_from_mailbox(chat))
    chat.answer(connexion, "simu_ordi_perso", "non")
    chat.run(flow.ActionSimulationIntro(), intent="simuler_rdv")
    chat.run(agenda.AskMotif())
    return agenda.ValidateRdvForm()


def slot_buttons(chat: Chat) -> List[datetime]:
    ids = [re.search(r'"creneau":"([^"]+)"', b["payload"]).group(1) for b in chat.buttons]
    return [datetime.strptime(i, "%Y-%m-%dT%H:%M") for i in ids]


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


@pytest.mark.parametrize(
    "typed, intent, code",
    [
        ("pour un problème de remboursement", "delais_traitement", "remboursement"),
        ("pr 1 pb de rembourcement", "delais_traitement", "remboursement"),
        ("c pour ma carte vital", "carte_vitale", "carte_vitale"),
        ("mon arret de travail", "informer", "arret_travail"),
        ("jarrive pas a me conecter a mon compte", "se_connecter", "compte_ameli"),
        ("mes indemnites journalieres ?", "delais_traitement", "arret_travail"),
    ],
)
def test_rdv_reason_in_free_words(sb, typed, intent, code):
    """A reason typed in words is the answer to the step: no topic answer, never « connectez-vous »."""
    chat = Chat()
    form = logged_in_at_rdv(chat)
    text = chat.answer(form, "simu_motif", typed, intent=intent)
    assert chat.slots["simu_motif"] == code and chat.slots["requested_slot"] == "simu_creneau"
    assert "connect" not in text.lower() and "délai" not in text


def test_rdv_reason_in_words_does_not_change_the_topic(sb):
    """The intent of « pour un problème de remboursement » set `sujet`; the form puts it back."""
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.slots["requested_slot"] = "simu_motif"
    typed = "pour un problème de remboursement"
    chat.run(form, text=typed, intent="delais_traitement", new={"simu_motif": typed, "sujet": "delais_traitement"})
    assert chat.slots["simu_motif"] == "remboursement" and chat.slots["sujet"] is None


def test_rdv_unknown_reason_lists_the_reasons_with_buttons(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    text = chat.answer(form, "simu_motif", "c'est pour ma mutuelle", intent="hors_sujet")
    assert chat.slots["simu_motif"] is None and chat.slots["requested_slot"] == "simu_motif"
    assert "un remboursement" in text and "ma carte Vitale" in text and "Une autre question" in text
    assert "connect" not in text.lower() and words(text) <= 60
    chat.run(agenda.AskMotif())  # the form asks again: the reasons as buttons
    assert [b["payload"] for b in chat.buttons][1] == '/informer{"motif_rdv":"remboursement"}'
    assert len(chat.buttons) == len(policy.APPOINTMENT_REASONS)
    text = chat.answer(form, "simu_motif", "c quoi un motif ?", intent="hors_sujet")
    assert "raison de l'appel" in text and "oui ou par non" not in text


def test_rdv_first_offer_spreads_over_several_days(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "remboursement")
    chat.run(agenda.AskCreneau())
    shown = slot_buttons(chat)
    assert 4 <= len(shown) <= policy.APPOINTMENT_OFFER_MAX
    assert len({s.date() for s in shown}) >= 3, shown
    assert any(s.hour < 12 for s in shown) and any(s.hour >= 12 for s in shown)
    assert words(chat.messages[0]["text"]) <= 60 and "jeudi" in chat.messages[0]["text"]
    assert all(re.match(r"\w+ \d+ \w+, \d+h", b["title"]) for b in chat.buttons)


@pytest.mark.parametrize(
    "typed, check, said",
    [
        ("vous avez pas plutôt jeudi ?", lambda s: s.date().isoformat() == "2025-01-09", "jeudi 9 janvier"),
        ("plutot le matin", lambda s: s.hour < 12, "le matin"),
        ("apres 14h", lambda s: s.hour >= 14, "après 14h"),
        (
            "la semaine prochaine",
            lambda s: "2025-01-13" <= s.date().isoformat() <= "2025-01-17",
            "la semaine prochaine",
        ),
        (
            "mardi aprem",
            lambda s: s.date().isoformat() == "2025-01-07" and s.hour >= 12,
            "mardi 7 janvier l'après-midi",
        ),
        ("pas le lundi", lambda s: s.weekday() != 0, "en dehors du lundi"),
    ],
)
def test_rdv_slot_preference_in_free_words(sb, typed, check, said):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "remboursement")
    text = chat.answer(form, "simu_creneau", typed, intent="preferer_creneau")
    assert chat.slots["simu_creneau"] is None and chat.slots["requested_slot"] == "simu_creneau"
    assert "oui ou par non" not in text and "reconnu" not in text
    chat.run(agenda.AskCreneau())
    shown = slot_buttons(chat)
    assert shown and all(check(s) for s in shown), shown
    assert said in chat.messages[0]["text"] and words(chat.messages[0]["text"]) <= 60


def test_rdv_no_slot_on_the_day_asked_says_so_and_offers_others(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "remboursement")
    chat.answer(form, "simu_creneau", "samedi ?", intent="preferer_creneau")
    chat.run(agenda.AskCreneau())
    text = chat.messages[0]["text"]
    assert text.startswith("Pas de créneau libre samedi") and "du lundi au vendredi" in text
    assert slot_buttons(chat) and words(text) <= 60
    chat.answer(form, "simu_creneau", "jeudi apres 18h", intent="preferer_creneau")
    chat.run(agenda.AskCreneau())
    assert chat.messages[0]["text"].startswith("Pas de créneau libre jeudi après 18h")
    assert {s.date().isoformat() for s in slot_buttons(chat)} == {"2025-01-09"}  # that day's other slots


def test_rdv_day_and_hour_typed_pick_the_slot(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "carte vitale")
    chat.answer(form, "simu_creneau", "jeudi a 10h30", intent="preferer_creneau")
    assert chat.slots["simu_creneau"] == "2025-01-09T10:30" and chat.slots["requested_slot"] == "simu_confirmation"


def test_rdv_yes_to_the_only_slot_shown_or_a_rank_picks_it(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "remboursement")
    chat.answer(form, "simu_creneau", "jeudi apres 16h30", intent="preferer_creneau")
    chat.run(agenda.AskCreneau())
    assert chat.messages[0]["text"].startswith("Un seul créneau libre jeudi 9 janvier après 16h30")
    chat.answer(form, "simu_creneau", "oui", intent="affirmer")
    assert chat.slots["simu_creneau"] == "2025-01-09T16:30"
    chat.slots.update({"simu_creneau": None, "simu_souhait": None})
    chat.run(agenda.AskCreneau())
    second = slot_buttons(chat)[1]
    chat.answer(form, "simu_creneau", "je prends le 2e", intent="informer")
    assert chat.slots["simu_creneau"] == second.strftime("%Y-%m-%dT%H:%M")


def test_rdv_preference_or_question_at_confirmation_goes_back_to_the_slots(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "remboursement")
    chat.run(agenda.AskCreneau())
    first = re.search(r'"creneau":"([^"]+)"', chat.buttons[0]["payload"]).group(1)
    chat.answer(form, "simu_creneau", first)
    chat.run(agenda.AskConfirmation())
    text = chat.answer(form, "simu_confirmation", "vous avez pas plutôt jeudi ?", intent="preferer_creneau")
    assert "oui ou par non" not in text
    assert chat.slots["simu_creneau"] is None and chat.slots["requested_slot"] == "simu_creneau"
    chat.run(agenda.AskCreneau())
    assert {s.date().isoformat() for s in slot_buttons(chat)} == {"2025-01-09"}
    chat.answer(form, "simu_creneau", "2025-01-09T14:00")
    text = chat.answer(form, "simu_confirmation", "c'est qui qui va m'appeler ?", intent="parler_conseiller")
    assert "oui ou par non" not in text and "reprenons le choix du créneau" in text
    assert chat.slots["requested_slot"] == "simu_creneau" and chat.slots["simu_fin"] is None
    chat.answer(form, "simu_creneau", "2025-01-09T14:00")
    chat.slots["requested_slot"] = "simu_confirmation"  # affirmer: the slot's mapping gives « oui »
    text = chat.run(form, text="oui jeudi c parfait", intent="affirmer", new={"simu_confirmation": "oui"})
    assert "rendez-vous téléphonique est pris" in text and "jeudi 9 janvier 2025 à 14h00" in text


def test_rdv_reason_and_preference_in_one_message(sb):
    chat = Chat()
    form = logged_in_at_rdv(chat)
    chat.answer(form, "simu_motif", "c pour un remboursement, plutot vendredi matin", intent="delais_traitement")
    assert chat.slots["simu_motif"] == "remboursement"
    chat.run(agenda.AskCreneau())
    assert {(s.date().isoformat(), s.hour < 12) for s in slot_buttons(chat)} == {("2025-01-10", True)}


def test_slot_preference_outside_the_booking(sb):
    chat = Chat()
    text = chat.run(agenda.ActionSlotPreferenceOutside(), "vous avez pas plutôt jeudi ?", "preferer_creneau")
    assert "prise de rendez-vous" in text and chat.buttons == [common.txt.LOGIN_BUTTON]
    logged_in_at_rdv(chat)
    chat.run(agenda.ActionSlotPreferenceOutside(), "plutot le matin", "preferer_creneau")
    assert [b["payload"] for b in chat.buttons] == ["/simuler_rdv"]


# -- trainer commands -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("avancer l'horloge de 16 minutes", timedelta(minutes=16)),
        ("avancer de 8 jours", timedelta(days=8)),
        ("avance de 2h", timedelta(hours=2)),
        ("avancer de 1 semaine", timedelta(weeks=1)),
        ("horloge + 16m", timedelta(minutes=16)),
        ("avance l'horloge d'une heure", timedelta(hours=1)),
        ("avancer d'un jour", timedelta(days=1)),
        ("avancer l'horloge", None),
        ("une heure", timedelta(hours=1)),
    ],
)
def test_durations(text, expected):
    assert trainer.parse_duration(text) == expected


def test_trainer_commands(sb):
    chat = Chat()
    text = chat.run(trainer.ActionDossiers(), intent="simulation_dossiers")
    assert "Marie DURAND" in text and "code provisoire 4826" in text and "compte actif" in text
    assert "Nadia MOREAU" in text and "code des bornes 73519046" in text
    assert "avance de 16 minutes" in chat.run(
        trainer.ActionAdvanceClock(), "avancer l'horloge de 16 minutes", "avancer_horloge"
    )
    assert "durée" in chat.run(trainer.ActionAdvanceClock(), "avancer l'horloge", "avancer_horloge")
    assert "remis à zéro" in chat.run(trainer.ActionReset(), intent="simulation_reset")
    assert sb.now(chat.sender) == START


def test_trainer_commands_off_on_a_shared_deployment(sb, monkeypatch):
    """SANDBOX_TRAINER_COMMANDS=off (make run-prod): nobody can reset the sandbox or move its clock from the chat."""
    monkeypatch.setenv(trainer.TRAINER_COMMANDS_ENV, "off")
    chat = Chat()
    before = sb.now(chat.sender)
    assert "réservée aux formateurs" in chat.run(
        trainer.ActionAdvanceClock(), "avancer l'horloge de 8 jours", "avancer_horloge"
    )
    assert sb.now(chat.sender) == before
    assert "réservée aux formateurs" in chat.run(trainer.ActionReset(), intent="simulation_reset")
    assert "Marie DURAND" in chat.run(trainer.ActionDossiers(), intent="simulation_dossiers")


# -- the package as the action server loads it ----------------------------------------------


def test_the_action_server_finds_every_custom_action_of_the_domain():
    """`rasa run actions` imports the `actions` package: every action domain.yml lists must answer."""
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(DOMAIN["actions"]) - set(executor.actions) == set()


def test_every_question_of_the_forms_is_a_response_or_an_action_of_the_domain():
    """Static questions are `utter_ask_<slot>` responses (no round trip to the action server);
    only the questions built from the sandbox's data are `action_ask_<slot>` actions."""
    for form in ("simulation_creation_form", "simulation_connexion_form", "simulation_rdv_form"):
        for slot in DOMAIN["forms"][form]["required_slots"]:
            response, action = f"utter_ask_{slot}" in DOMAIN["responses"], f"action_ask_{slot}" in DOMAIN["actions"]
            assert response != action, (form, slot)
    slots_of_forms = {slot for form in DOMAIN["forms"].values() for slot in form["required_slots"]}
    assert {r[len("utter_ask_") :] for r in DOMAIN["responses"] if r.startswith("utter_ask_")} <= slots_of_forms
    asked_by_actions = {a for a in DOMAIN["actions"] if a.startswith("action_ask_simu_")}
    assert asked_by_actions == {"action_ask_simu_motif", "action_ask_simu_creneau", "action_ask_simu_confirmation"}


def test_the_forms_follow_every_step_the_sandbox_reports():
    assert set(CreationStep) <= set(common.STEP_SLOTS)
    assert common.STEP_SLOTS[CreationStep.RIB] == common.STEP_SLOTS["rib"] == ["simu_rib"]
