"""common/turns.py: the conversation read back turn by turn, the same for both servers' events."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from common.turns import previous_bot_turn, turns


def user(text):
    return {"event": "user", "text": text}


def bot(text):
    return {"event": "bot", "text": text}


def action(name):
    return {"event": "action", "name": name}


CONVERSATION = [
    action("action_listen"),
    user("bonjour"),
    bot("Bonjour !"),
    action("action_listen"),
    user("code pas reçu"),
    action("utter_code_non_recu"),
    bot("Regardez dans les spams."),
    bot("Je vous guide ?"),
    action("action_listen"),
    user("merci"),
    action("action_remercier"),
    bot("Avec plaisir !"),
]


def test_the_previous_bot_turn_is_what_answered_the_message_before_the_latest_in_order():
    assert previous_bot_turn(CONVERSATION) == [
        action("utter_code_non_recu"),
        bot("Regardez dans les spams."),
        bot("Je vous guide ?"),
        action("action_listen"),
    ]


def test_before_a_second_message_there_is_no_previous_turn_but_what_came_first():
    assert previous_bot_turn([]) == []
    assert previous_bot_turn([bot("Bienvenue"), user("bonjour")]) == [bot("Bienvenue")]
    assert previous_bot_turn([bot("Bienvenue")]) == []  # no message from the person yet


def test_turns_give_the_current_turn_the_turns_before_and_the_messages_latest_first():
    recent = turns(CONVERSATION, 2)
    assert recent.current == [action("action_remercier"), bot("Avec plaisir !")]
    assert recent.previous == [
        [
            action("utter_code_non_recu"),
            bot("Regardez dans les spams."),
            bot("Je vous guide ?"),
            action("action_listen"),
        ],
        [bot("Bonjour !"), action("action_listen")],
    ]
    assert [u["text"] for u in recent.users] == ["merci", "code pas reçu", "bonjour"]
    one = turns(CONVERSATION, 1)
    assert len(one.previous) == 1 and [u["text"] for u in one.users] == ["merci", "code pas reçu"]


def test_the_rasa_servers_event_objects_are_read_the_same_way():
    events = [
        ActionExecuted("action_listen"),
        UserUttered("code pas reçu"),
        BotUttered("Regardez dans les spams."),
        ActionExecuted("action_listen"),
        UserUttered("toujours pas"),
        BotUttered("Qu'est-ce qui vous bloque ?"),
    ]
    recent = turns(events, 2, lambda event: isinstance(event, UserUttered))
    assert [e.text for e in recent.current] == ["Qu'est-ce qui vous bloque ?"]
    assert recent.previous == [
        [BotUttered("Regardez dans les spams."), ActionExecuted("action_listen")],
        [ActionExecuted("action_listen")],  # before the first message
    ]
    assert [u.text for u in recent.users] == ["toujours pas", "code pas reçu"]
