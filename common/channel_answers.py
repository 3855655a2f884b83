"""French texts of the channels (server_ext/channels.py), an answers module.

Here, in the leaf package `common`, because server_ext does not import the `actions` package
(the Rasa server loads server_ext without the action server's code). Plain strings, no import.
"""

from __future__ import annotations

RATE_LIMITED_TEXT = (
    "Vous envoyez beaucoup de messages en peu de temps. Patientez quelques secondes, puis écrivez-moi à nouveau."
)
NOT_PROCESSED_TEXT = (
    "Désolé, je n'ai pas pu traiter votre message. Réessayez dans un instant, ou reformulez votre question."
)
ERR_TOO_BIG = "Message trop long : écrivez un message plus court."
ERR_ENCODING = "Le corps de la requête doit être du texte UTF-8."
ERR_JSON = "Le corps de la requête doit être un objet JSON."
ERR_SENDER = "Le champ « sender » doit être un texte de 1 à 128 caractères lisibles."
ERR_MESSAGE = "Le champ « message » doit être un texte."
ERR_METADATA = "Le champ « metadata » doit être un objet JSON."
