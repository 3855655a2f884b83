"""`make bench`: NLU quality, latency, throughput and cost of the assistant, written to docs/benchmarks.md.

Modules: settings (env/flags), nlu, latency, throughput, cost, report (markdown + charts).
Run: `.venv/bin/python -m bench` (see bench/__main__.py for the settings).
"""
