"""A Sanic app with the guarded channels and a fake bot (echo), for tests/server_ext.

python -m tests.server_ext.channel_app PORT   (from the repository root)
"""

from __future__ import annotations

import sys

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from server_ext.channels import GuardedRestInput, GuardedSocketIOInput


async def on_new_message(message: UserMessage) -> None:
    if message.text == "boom":
        raise RuntimeError("bot failure")
    await message.output_channel.send_text_message(
        message.sender_id, f"reçu ({len(message.text)}): {message.text[:40]}"
    )


def main() -> None:
    app = Sanic("guarded_channels_test")
    rest = GuardedRestInput.from_credentials({"chat_rate_burst": 5, "chat_rate_per_second": 0.5})
    sio = GuardedSocketIOInput.from_credentials({"session_persistence": True})
    app.blueprint(rest.blueprint(on_new_message), url_prefix="/webhooks/rest")
    app.blueprint(sio.blueprint(on_new_message))

    @app.get("/ready")
    async def ready(_request):
        from sanic import response

        return response.text("ok")

    app.run(
        host="127.0.0.1", port=int(sys.argv[1]), access_log=False, single_process=True
    ) if "single_process" in Sanic.run.__code__.co_varnames else app.run(
        host="127.0.0.1", port=int(sys.argv[1]), access_log=False, workers=1
    )


if __name__ == "__main__":
    main()
