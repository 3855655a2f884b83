"""Every link, menu path and phone number the assistant cites, in one place.

Each entry names the sheet(s) of ../shared/seeds it comes from. Answers
(actions/answers.py, hence domain.yml) and tests read them from here: change a
URL here, run `make domain`, and every answer follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional


@dataclass(frozen=True)
class Entry:
    """One thing the bot cites: a URL, a menu path or a phone number."""

    label: str
    value: str
    source: str


AMELI_SITE = Entry("Site ameli", "https://www.ameli.fr", "fiches 07, 09, 1.1")
FRANCE_SERVICES_MAP = Entry(
    "Carte des France Services",
    "https://anct-carto.github.io/france_services/",
    "fiches 07, 08, 09 (Besoin d'aide ?)",
)
FORUM = Entry(
    "Forum ameli",
    "https://forum-assures.ameli.fr/",
    "fiches 07, 08, 09 (Besoin d'aide ?)",
)
TUTORIALS = Entry(
    "Vidéos pas à pas (pastel CPAM)",
    "https://pastel.cpam-isere.fr/",
    "fiches 07, 08, 09 (Besoin d'aide ?)",
)
MENU_AGENDA = Entry(
    "Rendez-vous téléphonique",
    "« Mon agenda / Prendre un rendez-vous »",
    "fiches 07, 08, 09 (Besoin d'aide ?)",
)
MENU_DELAYS = Entry(
    "Délais de traitement",
    "« Suivre mes démarches / Consulter les délais de traitement de ma demande »",
    "fiches 07, 08, 09 (Besoin d'aide ?)",
)
PHONE_CPAM = Entry(
    "Téléphone de l'Assurance Maladie",
    "36 46",
    "numéro national de l'Assurance Maladie (service gratuit + prix d'un appel)",
)
FORGOTTEN_PASSWORD = Entry(
    "Lien mot de passe oublié",
    "« Mot de passe oublié ? »",
    "fiche Connexion compte ameli, étape 0",
)
CREATE_ACCOUNT = Entry(
    "Création de compte",
    "« Se connecter » puis « Accéder à mon compte ameli », puis « 1ère visite ? » et « Créer un compte »",
    "fiche 07, étapes 1 à 3",
)
RECEIVE_CODE = Entry(
    "Bouton d'envoi du code",
    "« Recevoir un code de sécurité »",
    "fiches 08, 09 et Connexion compte ameli, étape 1",
)
TRUSTED_COMPUTER = Entry(
    "Case ordinateur personnel",
    "« Je me connecte avec mon ordinateur personnel »",
    "fiche 09 et Connexion compte ameli, étape 5",
)

# The national view of the map, exactly as the sheets print it.
FRANCE_CENTRE = (46.413220, 1.219482, 5.55)


def france_services_map_url(
    lat: Optional[float] = None, lng: Optional[float] = None, zoom: Optional[float] = None
) -> str:
    """Map of France Services centred on a point, in the sheets' format.

    Without a point, the national view the sheets print.
    """
    if lat is None or lng is None:
        lat, lng, zoom = FRANCE_CENTRE
    zoom = FRANCE_CENTRE[2] if zoom is None else zoom
    return f"{FRANCE_SERVICES_MAP.value}?lat={lat:.6f}&lng={lng:.6f}&z={zoom:g}"


def all_entries() -> Dict[str, Entry]:
    """Every catalogue entry, by its constant name."""
    return {name: value for name, value in globals().items() if isinstance(value, Entry)}
