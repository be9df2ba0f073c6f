# 先锋 Xianfeng — the two commands are `make demo` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: demo test install serve lint fmt migrate messages bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The demo runs with DEBUG on (and its development key); production sets SECRET_KEY instead.
demo: export DEBUG := 1

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "先锋 demo: http://$(HOST):$(PORT)/   (logins above; admin / xianfeng-demo)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	HUEY_IMMEDIATE=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	DEBUG=1 $(BIN)/python manage.py update_translations

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var *.egg-info
