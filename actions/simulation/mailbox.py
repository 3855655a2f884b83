"""The simulated mailbox: list the mails, read one (the code or the link in clear), click the
validation link (sheet 07's last step)."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import simulation_answers as txt
from actions.answers import payload
from actions.sandbox import mailbox, policy
from actions.sandbox.reasons import Reason
from actions.sandbox.results import MailSummary
from actions.sandbox.service import Sandbox
from actions.sandbox_answers import FOLDER_LABELS, local_datetime, say
from actions.sandbox_answers import text as message

from .common import call, entity

_LINK_IN_TEXT = re.compile(re.escape(policy.VALIDATION_LINK_BASE) + r"[A-Za-z0-9_\-]+")


def folder_label(folder: str) -> str:
    return FOLDER_LABELS.get(folder, folder)


async def _latest_mail(conversation_id: str, subject: Optional[str] = None) -> Optional[MailSummary]:
    found = []
    for folder in policy.MAIL_FOLDERS:
        result = await call(Sandbox.list_mails, conversation_id, folder)
        if result.ok:
            found += [m for m in result.data["mails"] if subject is None or m.subject == subject]
    return max(found, key=lambda m: m.received_at) if found else None


class ActionMailbox(Action):
    """Shows the inbox and the spam folder of the conversation's simulated user."""

    def name(self) -> Text:
        return "action_simulation_boite_mail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        for folder in policy.MAIL_FOLDERS:
            result = await call(Sandbox.list_mails, tracker.sender_id, folder)
            if not result.ok:
                dispatcher.utter_message(text=say(result), buttons=[txt.LOGIN_BUTTON, txt.CREATION_BUTTON])
                return []
            if folder == policy.MAIL_FOLDERS[0]:
                dispatcher.utter_message(text=txt.INTRO_MAILBOX)
            mails = result.data["mails"][:5]
            lines = [say(result)] + [
                f"- {'' if m.read else txt.MAIL_UNREAD}{m.subject}, {local_datetime(m.received_at)}" for m in mails
            ]
            buttons = [
                {
                    "title": txt.MAIL_OPEN.format(subject=m.subject, when=local_datetime(m.received_at)),
                    "payload": payload("simuler_lire_mail", mail_id=m.id),
                }
                for m in mails
            ]
            dispatcher.utter_message(text="\n".join(lines), buttons=buttons or None)
        return []


class ActionReadMail(Action):
    """Opens a mail of the simulated mailbox (the code or the link shows in clear)."""

    def name(self) -> Text:
        return "action_simulation_lire_mail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        mail_id = entity(tracker, "mail_id")
        if not mail_id:
            latest = await _latest_mail(tracker.sender_id)
            if latest is None:
                listed = await call(Sandbox.list_mails, tracker.sender_id)
                dispatcher.utter_message(
                    text=message(Reason.NO_MAILBOX) if listed.reason is Reason.NO_MAILBOX else txt.NO_MAIL
                )
                return []
            mail_id = latest.id
        result = await call(Sandbox.read_mail, tracker.sender_id, mail_id)
        if not result.ok:
            dispatcher.utter_message(text=say(result), buttons=[txt.MAILBOX_BUTTON])
            return []
        mail = result.data["mail"]
        text = txt.MAIL_HEADER.format(
            sender=mail.sender,
            subject=mail.subject,
            when=local_datetime(mail.received_at),
            folder=folder_label(mail.folder),
            body=mail.body,
        )
        buttons = None
        if mail.subject == mailbox.VALIDATION_SUBJECT:
            buttons = [{"title": txt.CLICK_LINK, "payload": payload("simuler_clic_lien", mail_id=mail.id)}]
        dispatcher.utter_message(text=text, buttons=buttons)
        notes = []
        if mail.folder == "spam":
            notes.append(txt.MAIL_FROM_SPAM)
        if mail.subject == mailbox.SECURITY_CODE_SUBJECT:
            notes.append(txt.MAIL_CODE_HINT)
        if notes:
            dispatcher.utter_message(text=" ".join(notes))
        return []


class ActionOpenLink(Action):
    """The user clicks (or pastes) the validation link of the simulated mail."""

    def name(self) -> Text:
        return "action_simulation_clic_lien"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        link = await self._link(tracker)
        if link is None:
            dispatcher.utter_message(text=txt.NO_LINK_MAIL, buttons=[txt.MAILBOX_BUTTON, txt.CREATION_BUTTON])
            return []
        result = await call(Sandbox.open_validation_link, tracker.sender_id, link)
        if result.ok or result.reason is Reason.ACCOUNT_ALREADY_ACTIVE:
            dispatcher.utter_message(text=say(result), buttons=[txt.LOGIN_BUTTON])
        elif result.reason is Reason.LINK_EXPIRED:
            dispatcher.utter_message(text=say(result))
            resent = await call(Sandbox.resend_validation_link, tracker.sender_id)
            dispatcher.utter_message(text=say(resent), buttons=[txt.MAILBOX_BUTTON])
        else:
            dispatcher.utter_message(text=say(result), buttons=[txt.MAILBOX_BUTTON])
        return []

    @staticmethod
    async def _link(tracker: Tracker) -> Optional[str]:
        """The link pasted in the message, else the one of the mail clicked (or the latest
        validation mail); None when there is none."""
        pasted = _LINK_IN_TEXT.search(tracker.latest_message.get("text") or "")
        if pasted:
            return pasted.group(0)
        mail_id = entity(tracker, "mail_id")
        if not mail_id:
            latest = await _latest_mail(tracker.sender_id, mailbox.VALIDATION_SUBJECT)
            mail_id = latest.id if latest else None
        read = await call(Sandbox.read_mail, tracker.sender_id, mail_id) if mail_id else None
        found = _LINK_IN_TEXT.search(read.data["mail"].body) if read is not None and read.ok else None
        return found.group(0) if found else None
