"""server_ext/nlg.py renders the buttons of domain.yml as written: a JSON payload
(`/definir{"terme":"rib"}`) is no slot to fill, and Rasa's interpolator must not log an ERROR on it."""

from __future__ import annotations

from pathlib import Path

import pytest
import structlog
from rasa.shared.core.domain import Domain

from server_ext.nlg import NoRepeatGenerator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


def with_buttons(domain):
    return sorted(name for name, variations in domain.responses.items() if any(v.get("buttons") for v in variations))


def test_every_response_with_buttons_is_rendered_without_an_error_and_as_written(domain):
    generator = NoRepeatGenerator(None, domain)
    slots = {slot.name: None for slot in domain.slots}
    slots["simu_support"] = "ordinateur"
    names = with_buttons(domain)
    json_payloads = [
        b["payload"]
        for name in names
        for v in domain.responses[name]
        for b in v.get("buttons", [])
        if "{" in b["payload"]
    ]
    assert len(json_payloads) >= 5  # what this test is about: `/intent{"entity":"value"}` buttons
    with structlog.testing.capture_logs() as logs:
        rendered = {name: generator.generate_from_slots(name, dict(slots), "rest") for name in names}
    assert [log for log in logs if log.get("log_level") in ("error", "critical", "exception")] == []
    for name, response in rendered.items():
        written = [v for v in domain.responses[name] if v.get("text") == response["text"]]
        assert written, name
        assert response["buttons"] == written[0]["buttons"], name


def test_a_slot_in_a_button_title_is_still_filled(domain):
    generator = NoRepeatGenerator(None, domain)
    response = {"text": "Bonjour {nom}", "buttons": [{"title": "Oui {nom}", "payload": '/affirmer{"x":"{y}"}'}]}
    with structlog.testing.capture_logs() as logs:
        filled = generator._fill_response(response, {"nom": "Alix"})
    assert filled == {"text": "Bonjour Alix", "buttons": [{"title": "Oui Alix", "payload": '/affirmer{"x":"{y}"}'}]}
    assert logs == []
