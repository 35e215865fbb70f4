# The README's commands. Each target calls a script in scripts/ so it also works without make.
.PHONY: run test lint bench

run:  ## install, migrate, load the Coventry demo data and serve the site
	scripts/run

test:  ## install what is missing and run the whole test suite
	scripts/test

lint:
	scripts/install && .venv/bin/ruff check . && .venv/bin/ruff format --check .

bench:
	scripts/install && .venv/bin/python benchmarks/booking_load.py
