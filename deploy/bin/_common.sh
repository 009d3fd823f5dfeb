# Sourced by the scripts beside it: the project's root and the Python that runs it.
# Everything else comes from the environment (deploy/env.example names every variable).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# PYTHON wins (tests start the scripts with their own interpreter); else the checkout's .venv (make install);
# else whatever python is on PATH (the container image installs into the system Python).
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.venv/bin/python" ]]; then
        PYTHON="$ROOT/.venv/bin/python"
    else
        PYTHON=python
    fi
fi

# The process may start in any folder (each machine or test its own); code and settings are found from here.
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-socialgov.settings}"
