"""Rasa actions of the sandbox exercises: thin adapters over actions/sandbox (the `Sandbox` façade).

Every rule lives in the sandbox, the French of its answers in actions/sandbox_answers.py. These actions only:
- read what the user typed and hand it to the sandbox;
- show the sandbox's answer;
- choose the next question from the sandbox's answer (`simu_etape`, a slot the user cannot set:
  its mapping is `custom`, so `/intent{"simu_etape": ...}` does nothing).

Who is logged in, and on which device, lives in the sandbox keyed by tracker.sender_id.
Secrets (code personnel, code provisoire, security code) go to the sandbox and the slot is
emptied in the same validation; they are never repeated back. One exception, as the sheets order
the page: the security code is typed, then the « ordinateur personnel » box is answered, then both
go to the sandbox together; between those two turns the code waits in `simu_code_securite`, which
the production tracker store encrypts (common/names.py REVERSIBLE_SLOTS), and is emptied then.

Modules, one per exercise over a common base:
- common: sandbox accessor, reading helpers, slots and steps, `SimulationValidation`, the questions
- creation: account creation (sheet 07) and the enrolment steps shared with sheet 1.1
- login: login with the security code (sheets 09, 08), the code provisoire route, logout
- agenda: « Mon agenda » (book, list, cancel a phone appointment)
- mailbox: the simulated mailbox (list, read, click the validation link)
- trainer: demo dossiers, change of browser, reset, clock
- flow: start, stop and help, the same for every exercise

`rasa run actions` imports every submodule of the `actions` package (rasa_sdk walks it
recursively), so nothing needs importing here.
"""
