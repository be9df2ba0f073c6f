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

# The key that encrypts 身份证号 and phones (docs/operations.md): made once, then reused.
# Ignored when XIANFENG_FIELD_KEY is set in the environment.
FIELD_KEY := var/field.key

$(FIELD_KEY):
	@mkdir -p var
	@umask 077 && $(PY) -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())" > $@
	@echo "已生成字段加密密钥 $@：请与数据库分开备份，丢失后无法解密身份证号和手机号"

migrate: install $(FIELD_KEY)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "先锋 demo: http://$(HOST):$(PORT)/   (logins above; admin / xianfeng-demo)"
	@echo "定时任务（诉求超时上报、会议提醒、介绍信逾期、月度积分结账）在本进程中运行"
	DEBUG=1 HUEY_IMMEDIATE=1 $(BIN)/python manage.py serve_demo $(HOST):$(PORT)

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
