"""Reason codes returned by every check and every sandbox operation.

The French text for each code lives in actions/sandbox_answers.py (one place); callers match on codes.
"""

from __future__ import annotations

from enum import Enum


class Reason(str, Enum):
    """Why an operation succeeded or failed. The value is a stable snake_case string."""

    OK = "ok"

    # Identifier checks
    NIR_FORMAT = "nir_format"
    NIR_KEY = "nir_key"
    NIR_PROVISIONAL = "nir_provisional"
    IBAN_INVALID = "iban_invalid"
    RIB_FORMAT = "rib_format"
    RIB_MISMATCH = "rib_mismatch"
    VITALE_FORMAT = "vitale_format"
    VITALE_MISMATCH = "vitale_mismatch"
    EMAIL_FORMAT = "email_format"
    MOBILE_FORMAT = "mobile_format"
    CODE_PERSONNEL_FORMAT = "code_personnel_format"
    CODE_PROVISOIRE_FORMAT = "code_provisoire_format"
    BIRTH_DATE_FORMAT = "birth_date_format"
    SECURITY_CODE_FORMAT = "security_code_format"

    # Account creation (sheet 07) and code provisoire (sheet 1.1)
    CREATION_STARTED = "creation_started"
    IDENTITY_MISMATCH = "identity_mismatch"
    ACCOUNT_EXISTS = "account_exists"
    NO_RIB = "no_rib"
    FILE_TRANSFER = "file_transfer"
    RIB_OK = "rib_ok"
    VITALE_OK = "vitale_ok"
    TERMS_ACCEPTED = "terms_accepted"
    TERMS_REFUSED = "terms_refused"
    CONTACT_SAVED = "contact_saved"
    CONTACTS_CHOICE = "contacts_choice"
    EMAIL_TAKEN = "email_taken"
    CODE_PERSONNEL_SAVED = "code_personnel_saved"
    VALIDATION_MAIL_SENT = "validation_mail_sent"
    NO_ENROLMENT = "no_enrolment"
    WRONG_STEP = "wrong_step"
    LINK_INVALID = "link_invalid"
    LINK_EXPIRED = "link_expired"
    ACCOUNT_ACTIVATED = "account_activated"
    ACCOUNT_ALREADY_ACTIVE = "account_already_active"
    LINK_RESENT = "link_resent"

    # Login (sheets 09, 08, "Connexion compte ameli")
    NO_ACCOUNT = "no_account"
    WRONG_CREDENTIALS = "wrong_credentials"
    ACCOUNT_NOT_ACTIVE = "account_not_active"
    PERSONALISE_REQUIRED = "personalise_required"
    KIOSK_CODE_ACCEPTED = "kiosk_code_accepted"
    SECURITY_CODE_REQUIRED = "security_code_required"
    SECURITY_CODE_SENT = "security_code_sent"
    TOO_MANY_CODES = "too_many_codes"
    NO_PENDING_LOGIN = "no_pending_login"
    NO_CODE_REQUESTED = "no_code_requested"
    CODE_EXPIRED = "code_expired"
    CODE_WRONG = "code_wrong"
    CODE_BLOCKED = "code_blocked"
    CODE_SUPERSEDED = "code_superseded"
    LOGGED_IN = "logged_in"
    LOGGED_IN_TRUSTED_DEVICE = "logged_in_trusted_device"
    LOGGED_OUT = "logged_out"
    NOT_LOGGED_IN = "not_logged_in"
    SESSION_INFO = "session_info"
    DEVICE_CHANGED = "device_changed"

    # Simulated mailbox
    MAILS_LISTED = "mails_listed"
    MAIL_SHOWN = "mail_shown"
    MAIL_MOVED = "mail_moved"
    MAIL_NOT_FOUND = "mail_not_found"
    FOLDER_UNKNOWN = "folder_unknown"
    NO_MAILBOX = "no_mailbox"

    # Mon agenda
    APPOINTMENT_REASONS = "appointment_reasons"
    SLOTS_LISTED = "slots_listed"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENTS_LISTED = "appointments_listed"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_NOT_FOUND = "appointment_not_found"
    SLOT_UNAVAILABLE = "slot_unavailable"
    APPOINTMENT_REASON_UNKNOWN = "appointment_reason_unknown"

    # Trainer operations
    SANDBOX_RESET = "sandbox_reset"
    CLOCK_MOVED = "clock_moved"
    CLOCK_INVALID = "clock_invalid"
    DOSSIERS_LISTED = "dossiers_listed"
    DOSSIER_ADDED = "dossier_added"
    DOSSIER_EXISTS = "dossier_exists"
    WORLD_READY = "world_ready"
    WORLDS_PURGED = "worlds_purged"
    EXERCISE_STOPPED = "exercise_stopped"

    # Workshops
    WORKSHOP_CREATED = "workshop_created"
    WORKSHOP_NAME_INVALID = "workshop_name_invalid"
    WORKSHOP_UNKNOWN = "workshop_unknown"
    WORKSHOP_JOINED = "workshop_joined"
    WORKSHOP_ROOM = "workshop_room"
    NICKNAME_INVALID = "nickname_invalid"
    LEARNER_UNKNOWN = "learner_unknown"
    LEARNER_RESET = "learner_reset"
    WORKSHOP_CLOCK_MOVED = "workshop_clock_moved"
