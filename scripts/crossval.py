"""`make crossval`: Rasa's own 5-fold cross-validation of the NLU, scored on the test folds only.

    .venv/bin/python -m scripts.crossval --nlu data/nlu --config config.yml --folds 5 --out DIR

The same as `rasa test nlu --cross-validation` (Rasa's folds, training, reports and files), with one
call left out: after training each fold, Rasa also scores the model on the four fifths it was just
trained on (the « train » figures it logs), one message at a time. That costs twice as long as scoring
the held-back fifth and says nothing about messages the model has not seen; the test figures,
intent_report.json and the error files are Rasa's own, unchanged.
"""

from __future__ import annotations

import sys
import warnings

from scripts import rasa_cli


def main() -> int:
    rasa_cli.quiet_warnings()
    warnings.showwarning = rasa_cli._show_unless_deprecation
    import rasa.nlu.test as nlu_test

    combine_result = nlu_test.combine_result

    async def test_folds_only(intent_metrics, entity_metrics, response_metrics, processor, data, *results, **kw):
        if not results and not kw:  # the fold's own training part: not scored
            return intent_metrics, entity_metrics, response_metrics
        return await combine_result(intent_metrics, entity_metrics, response_metrics, processor, data, *results, **kw)

    nlu_test.combine_result = test_folds_only
    sys.argv = ["rasa", "test", "nlu", "--cross-validation", *sys.argv[1:]]
    return rasa_cli.main()


if __name__ == "__main__":
    sys.exit(main())
