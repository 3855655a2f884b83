"""Names of domain.yml that several layers read: the slots and entities that hold a secret.

Readers: the redaction of the tracker store and of the logs (common/redaction.py), the NLU's
InputGuard (nlu_components/input_guard.py), action_informer (actions/actions.py).
"""

from __future__ import annotations

# Slots whose value is a code or a NIR (forms of actions/simulation/), plus the bank and carte
# Vitale numbers asked by the same form: never written down in clear.
SECRET_SLOTS = frozenset(
    {
        "simu_nir",
        "simu_login_nir",
        "simu_code_perso",
        "simu_login_code",
        "simu_code_securite",
        "simu_rib",
        "simu_vitale",
    }
)
# Slots the exercises read again in a later turn: the NIR (validate_simu_naissance,
# validate_simu_login_code) and the security code typed before the « ordinateur personnel »
# box (validate_simu_ordi_perso, then emptied): the tracker store encrypts them instead of blanking.
REVERSIBLE_SLOTS = frozenset({"simu_nir", "simu_login_nir", "simu_code_securite"})
# The slot of the e-mail question: the sandbox reads its value again, so it stays readable.
EMAIL_SLOT = "simu_email"

# Entities that carry a code or a NIR.
SECRET_ENTITIES = frozenset({"nir", "code"})
# The entities a form takes a fictitious secret from (the InputGuard keeps them in a message
# holding a secret; any other entity found inside a secret is dropped).
FORM_SECRET_ENTITIES = SECRET_ENTITIES | {"email"}
