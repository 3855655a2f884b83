"""Understanding a message (the NLU graph) runs on a worker thread, off the Rasa server's event loop.

Rasa 3.6's `MessageProcessor.parse_message` is a coroutine that runs the whole NLU pipeline
(tokenizer, featurizers, CRF, the linear intent model, guards) synchronously: while one message is parsed, the
server's event loop does nothing else, so every other conversation's turn (policies, action
server replies, HTTP) waits behind it. On a worker thread, the parse still holds the GIL for
its Python parts, but numpy's and scipy's kernels release it, and the event loop
keeps serving the others in between (issue 18, item 3: tail latency).

The parse is the same function on the same objects: `_parse_message_with_graph`, then what
Rasa's `parse_message` does after it. The NLU graph's nodes are only ever run by these
threads (the policies' nodes stay on the event loop); the conversation's tracker passed
along is held by Rasa's per-conversation lock meanwhile.

RASA_NLU_THREADS (environment, common/settings.py): worker threads; 0 (the default) keeps Rasa's own behaviour.

Measured with the former DIET pipeline (docs/benchmarks.md, issue 18): on this 2-core machine under load, one worker thread
cost 4-10 ms more of the Rasa server's CPU per message (35 -> 39-45 ms: the event loop and the
worker hand the GIL back and forth, TensorFlow's small eager ops release and take it again many
times per message) and did not bring p95/p99 down at 20 conversations. So it is off by default;
it stays as a switch to measure again on a machine with more, idle, cores.
"""

from __future__ import annotations

import asyncio
import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional, Text

from common import settings

_installed = False
_executor: Optional[ThreadPoolExecutor] = None
rasa_parse_message: Optional[Any] = None  # MessageProcessor.parse_message as Rasa wrote it, once replaced


def threads() -> int:
    """RASA_NLU_THREADS (common/settings.py)."""
    return settings.nlu_threads()


def install() -> None:
    """Patch MessageProcessor.parse_message (idempotent; nothing when RASA_NLU_THREADS is 0 or unset)."""
    global _installed, _executor, rasa_parse_message
    if _installed or threads() == 0:
        return
    from rasa.core import processor as rasa_processor
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    _executor = ThreadPoolExecutor(max_workers=threads(), thread_name_prefix="nlu")
    rasa_parse = rasa_parse_message = MessageProcessor.parse_message

    async def parse_message(
        self: MessageProcessor,
        message: Any,
        tracker: Optional[DialogueStateTracker] = None,
        only_output_properties: bool = True,
    ) -> Dict[Text, Any]:
        if self.http_interpreter:  # NLU on another server: Rasa's own path (already awaits)
            return await rasa_parse(self, message, tracker, only_output_properties)
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await asyncio.get_running_loop().run_in_executor(
            _executor, self._parse_message_with_graph, message, tracker, only_output_properties
        )
        # the rest of Rasa 3.6.21's parse_message, unchanged
        self._update_full_retrieval_intent(parse_data)
        rasa_processor.structlogger.debug(
            "processor.message.parse",
            parse_data_text=copy.deepcopy(parse_data["text"]),
            parse_data_intent=parse_data["intent"],
            parse_data_entities=copy.deepcopy(parse_data["entities"]),
        )
        self._check_for_unseen_features(parse_data)
        return parse_data

    MessageProcessor.parse_message = parse_message  # type: ignore[assignment]
    _installed = True
