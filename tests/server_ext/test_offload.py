"""server_ext.offload: the NLU parse runs on a worker thread, with the same result as Rasa's own."""

from __future__ import annotations

import asyncio
import threading

import pytest
from rasa.core.processor import MessageProcessor

from server_ext import offload

RASA_PARSE = offload.rasa_parse_message or MessageProcessor.parse_message  # Rasa's own


class Message:
    sender_id = "someone"
    text = "je n'ai pas reçu mon code"


class Processor:
    """What parse_message uses of a MessageProcessor, with a stand-in for the NLU graph."""

    http_interpreter = None
    _update_full_retrieval_intent = MessageProcessor._update_full_retrieval_intent

    def __init__(self, wait_for=None):
        self.threads = []
        self.checked = []
        self.domain = None
        self.wait_for = wait_for
        self.saw_the_other = None

    def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
        self.threads.append(threading.current_thread().name)
        if self.wait_for is not None:  # on the event loop, the other coroutine could never set it
            self.saw_the_other = self.wait_for.wait(timeout=5)
        return {
            "text": message.text,
            "intent": {"name": "code_non_recu", "confidence": 0.9},
            "entities": [],
            "tracker_sender": tracker.sender_id,
            "only_output": only_output_properties,
        }

    def _check_for_unseen_features(self, parse_data):
        self.checked.append(parse_data["intent"]["name"])


@pytest.fixture(scope="module", autouse=True)
def installed():
    mp = pytest.MonkeyPatch()
    mp.setenv("RASA_NLU_THREADS", "1")  # off by default (docs/benchmarks.md, issue 18)
    offload.install()
    mp.undo()


def test_the_parse_gives_what_rasa_gives():
    ours, rasa = Processor(), Processor()
    got = asyncio.run(MessageProcessor.parse_message(ours, Message()))
    expected = asyncio.run(RASA_PARSE(rasa, Message()))
    assert got == expected and got["tracker_sender"] == "someone"
    assert ours.checked == rasa.checked == ["code_non_recu"]  # the domain check still runs
    assert asyncio.run(MessageProcessor.parse_message(ours, Message(), None, False))["only_output"] is False


def test_the_parse_runs_off_the_event_loop_so_other_turns_go_on():
    """The parse waits until another conversation's coroutine has run: only possible off the loop."""
    other_ran = threading.Event()
    processor = Processor(wait_for=other_ran)

    async def other_conversation():
        for _ in range(3):
            await asyncio.sleep(0.01)
        other_ran.set()

    async def both():
        await asyncio.gather(MessageProcessor.parse_message(processor, Message()), other_conversation())

    asyncio.run(both())
    assert processor.threads[0].startswith("nlu")
    assert processor.saw_the_other is True


def test_the_worker_thread_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("RASA_NLU_THREADS", raising=False)
    assert offload.threads() == 0
    monkeypatch.setenv("RASA_NLU_THREADS", "0")
    assert offload.threads() == 0
    monkeypatch.setenv("RASA_NLU_THREADS", "2")
    assert offload.threads() == 2
