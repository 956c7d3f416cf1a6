"""A FastAPI app for apitest's integration tests: an Optional field (OpenAPI 3.1 anyOf-null),
a handled 500 and an unhandled exception, after which uvicorn closes the connection."""
from typing import Optional

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI(title="apitest-fixture", version="1.0.0")


class Item(BaseModel):
    id: int
    name: str
    description: Optional[str] = None
    price: float
    tags: list[str] = []


ITEMS = {
    1: Item(id=1, name="widget", price=9.5, tags=["a"]),
    2: Item(id=2, name="gadget", description="shiny", price=20.0),
}


@app.get("/items/{item_id}", response_model=Item)
def get_item(item_id: int):
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="item not found")
    return ITEMS[item_id]


@app.get("/boom")
def boom():
    return JSONResponse(status_code=500, content={"error": "boom"})


@app.get("/crash")
def crash():
    raise RuntimeError("crash")
