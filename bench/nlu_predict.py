"""Worker (own process): load a trained NLU model, predict a test set, dump JSON.

    python -m bench.nlu_predict --model M.tar.gz --data tests/nlu/heldout.yml --out P.json

Uses Rasa's own evaluation loop (`rasa.nlu.test.get_eval_data`, the one behind
`rasa test nlu`: FallbackClassifier predictions are undone) and Rasa's token-level
entity report, plus the raw predictions so bench.metrics can score them.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import time


async def predict(model: str, data: str, domain: str) -> dict:
    t0 = time.perf_counter()
    from rasa.core.agent import Agent
    from rasa.nlu import test as nlu_test
    from rasa.shared.importers.importer import TrainingDataImporter
    t_import = time.perf_counter() - t0

    t0 = time.perf_counter()
    agent = Agent.load(model)
    t_load = time.perf_counter() - t0

    importer = TrainingDataImporter.load_from_dict(training_data_paths=[data],
                                                   domain_path=domain)
    test_data = importer.get_nlu_data()
    t0 = time.perf_counter()
    intent_results, _, entity_results = await nlu_test.get_eval_data(agent.processor, test_data)
    t_eval = time.perf_counter() - t0

    records = []
    for i, res in enumerate(intent_results):
        ent = entity_results[i] if i < len(entity_results) else None
        records.append({
            "text": res.message,
            "gold_intent": res.intent_target,
            "pred_intent": res.intent_prediction,
            "confidence": res.confidence,
            "gold_entities": [_ent(e) for e in (ent.entity_targets if ent else [])],
            "pred_entities": [_ent(e) for e in (ent.entity_predictions if ent else [])],
        })
    reports = {}
    if any(entity_results):
        extractors = nlu_test._get_active_entity_extractors(entity_results)
        evaluation = nlu_test.evaluate_entities(entity_results, extractors, None, False, False,
                                                True, report_as_dict=True)
        reports = {name: res["report"] for name, res in evaluation.items()}
    return {"records": records, "rasa_entity_reports": reports,
            "timing": {"import_s": t_import, "model_load_s": t_load, "predict_s": t_eval,
                       "per_message_ms": 1000 * t_eval / max(1, len(records))}}


def _ent(e: dict) -> dict:
    return {k: e.get(k) for k in ("start", "end", "entity", "value", "extractor")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--domain", default="domain")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(predict(args.model, args.data, args.domain))
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, default=str)


if __name__ == "__main__":
    main()
