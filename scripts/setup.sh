#!/usr/bin/env bash
# Set up .venv/ at the repo root with kg and its pinned dependencies.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --test   also the test tools, Debian's chromium for browser tests and
#                             Debian's Apache Jena (libapache-jena-java) for interoperability tests;
#                             the Oxigraph server for remote-store tests comes from PyPI (test extra)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
  # Apache Jena's riot (run through scripts/riot) for the interoperability tests
  if [ ! -f /usr/share/java/jena-cmds.jar ] || ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libapache-jena-java default-jre-headless >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libapache-jena-java default-jre-headless >/dev/null
    fi
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
