"""LanguageGuard: a message written mostly in another language is read as `autre_langue`.

Why: « do you speak english? » was read as some French intent, or as not understood; the person
got « Je ne suis pas sûr d'avoir compris » and buttons in French. DIET learns a few such
examples (data/nlu/parcours.yml), but it cannot know every English or Spanish sentence, and the
UnknownWordsGuard sends unknown words to `nlu_fallback`. This guard is a word count, not a
model: nothing to train, a few microseconds a message.

A message is foreign when at least two different words of it are common words of English, Spanish,
German, Italian or Portuguese that are not French words (« the », « you », « hablas »,
« necesito »), they make at least half of its words, and they outnumber its French words at
least two to one; or when most of its letters are of another script (Arabic, Cyrillic, Chinese…).
French with one English word (« mon password marche pas », « le login ») stays French.

Runs after the UnknownWordsGuard (it corrects its `nlu_fallback` for a foreign sentence) and
before the InputGuard, whose decisions (empty input, a secret) stay final.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.overrides import Guard, put_first

FOREIGN_INTENT = "autre_langue"

# Common words of other languages that are not French words (nor frequent in French SMS
# spelling): « on », « me », « a », « no », « que », « il », « per » are left out on purpose.
FOREIGN_WORDS = frozenset(
    """
the you your yours do does did don doesn didn can cannot could would should will won is are am
was were be been have has had what how where why who which when this that these those
speak spoken english french spanish language please pls hello hi hey thanks thank sorry help
need want my i im it its with without not any anyone someone somebody get got know understand
account password forgot forgotten received receive login log sign card health insurance from
of to in and for at by about but if so just also only still yet again
hablas habla hablo hablan español espanol ingles inglés francés frances hola gracias ayuda ayudar
ayudame necesito quiero tengo puedo puede usted como cómo qué está estoy estás por favor para
mi yo los las una con hay tarjeta correo contraseña contrasena cuenta código codigo buenos días dias
señor señora entiendo recibido
sprechen spreche sie ich nicht bitte hilfe konto ist und der das wie kann mein meine hallo danke
englisch deutsch verstehe
parli parla italiano inglese grazie aiuto sono voglio posso mio della
fala falo falar português portugues obrigado obrigada olá ajuda você voce não nao minha meu conta senha
""".split()
)

# Frequent French words: a message that has them is French, even with English words in it.
FRENCH_WORDS = frozenset(
    """
je j tu il elle on nous vous ils elles le la les l un une des du de d au aux et ou mais donc
pas ne n plus mon ma mes ton ta tes son sa ses votre vos notre nos ce cet cette ces c ça ca qu que
qui quoi est suis es sont ai as avez avons a été être avoir fait faire pour par avec sans dans sur
sous chez comment pourquoi quand combien oui non merci bonjour bonsoir salut svp stp compte code
mot passe reçu recu marche veux peux dois faut aide aider parlez parle parles anglais espagnol
arabe français francais allemand portugais italien langue
""".split()
)

_WORD = re.compile(r"[^\W\d_]+")
MIN_FOREIGN_WORDS = 2


def _latin(ch: str) -> bool:
    return "LATIN" in unicodedata.name(ch, "")


def is_foreign(text: Optional[str]) -> bool:
    """True when the text is written mostly in a language other than French."""
    if not text or text.lstrip().startswith("/"):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 2 and sum(not _latin(ch) for ch in letters) > len(letters) / 2:
        return True
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    foreign = [w for w in words if w in FOREIGN_WORDS]
    french = sum(w in FRENCH_WORDS for w in words)
    # distinct words: « hello hello » or « bye bye » is no sentence in another language
    return len(set(foreign)) >= MIN_FOREIGN_WORDS and len(foreign) * 2 >= len(words) and len(foreign) >= 2 * french


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(Guard):
    """Sets `autre_langue` on messages written mostly in another language."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not is_foreign(message.get(TEXT)):
                continue
            put_first(message, FOREIGN_INTENT)
        return messages
