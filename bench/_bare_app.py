"""The limit of the load benchmark: a bare FastAPI app whose one route returns a constant.

python -m uvicorn bench._bare_app:app --host 127.0.0.1 --port PORT
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/constant")
def constant() -> dict[str, str]:
    """Always the same small JSON object."""
    return {"status": "ok"}
