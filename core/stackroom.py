"""Room on Python's frame stack for a whole request: a workaround for CPython 3.11's frame-stack chunks.

CPython 3.11 keeps frames in 16 kB chunks and unmaps a chunk as soon as its first frame returns. Where a
request's calls go back and forth across a chunk's end, every crossing maps and unmaps memory and faults its
pages back in. Rendering a 50-row, 38-column scorecard table crosses one such end thousands of times: under
gunicorn 140,000 mmap/munmap calls in eight requests, 380 ms a page against 150 ms where no end falls in the
way (which depends only on how deep the server's own calls are).

A chunk is sized for the frame that needs it, in powers of two of 16 kB. So the request runs inside a call
whose frame is large (`ROOM_LOCALS` unused locals, 256 kB): that frame gets a chunk of 512 kB of its own and
every frame of the request below it fits in the rest, with no crossing. Its cost: one mapping and the
locals' initialisation a request, about 64 page faults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
R = TypeVar("R")
ROOM_LOCALS = 32_000


def call_with_room(function: Callable[[T], R], argument: T) -> R:
    """`function(argument)`, called from a frame of ROOM_LOCALS unused locals (set on the code below)."""
    return function(argument)


_code = call_with_room.__code__
_names = _code.co_varnames + tuple(f"_room_{index}" for index in range(ROOM_LOCALS))
call_with_room.__code__ = _code.replace(co_varnames=_names, co_nlocals=len(_names))


class StackRoomMiddleware:
    """Runs the rest of the request through `call_with_room`; first in MIDDLEWARE, so everything is inside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return call_with_room(self.get_response, request)
