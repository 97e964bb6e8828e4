# Convenience targets. The kiosk's Python is the project's virtualenv (make setup creates it).
PYTHON ?= .venv/bin/python

.PHONY: setup test bench bench-smoke

setup:
	bash scripts/setup.sh

test:
	bash scripts/test.sh

# Full performance bench (about 50 minutes on the 2-core machine, 35 of them the soak): table on stdout,
# medians in bench/results.json, every repetition in bench/results-details.json.
bench:
	$(PYTHON) bench/run.py

# One short repetition of every figure (under a minute): bench/results-smoke.json.
bench-smoke:
	$(PYTHON) bench/run.py --smoke
