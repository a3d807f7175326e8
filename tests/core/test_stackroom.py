import resource

import pytest
from django.conf import settings

from core.stackroom import ROOM_LOCALS, StackRoomMiddleware, call_with_room


def test_the_call_returns_what_the_function_returns_and_lets_errors_through():
    assert call_with_room(lambda value: value * 2, 21) == 42
    with pytest.raises(ZeroDivisionError):
        call_with_room(lambda value: 1 / value, 0)


def test_the_calling_frame_is_large_enough_to_get_a_chunk_of_its_own():
    # 8 bytes a local: 256 kB, beyond the 16 kB chunks CPython 3.11 hands out by default.
    assert call_with_room.__code__.co_nlocals == ROOM_LOCALS + 2
    assert ROOM_LOCALS * 8 > 16 * 1024 * 8


def _at_depth(depth: int, function, argument):
    return function(argument) if depth == 0 else _at_depth(depth - 1, function, argument)


def _recurse(depth: int) -> int:
    return 0 if depth == 0 else _recurse(depth - 1) + 1


def _back_and_forth(_argument) -> int:
    return sum(_recurse(30) for _ in range(3000))


def _faults(function) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_calls_going_back_and_forth_inside_the_room_fault_no_pages_in():
    """At the depth where plain calls fault most (a chunk's end in the way of 3,000 calls 30 deep), the same
    calls inside the room fault only the room's own pages in (about 64); the plain ones thousands."""
    plain = {depth: _faults(lambda d=depth: _at_depth(d, _back_and_forth, None)) for depth in range(0, 200, 3)}
    worst = max(plain, key=plain.get)
    assert plain[worst] > 1000
    roomy = _faults(lambda: _at_depth(worst, lambda a: call_with_room(_back_and_forth, a), None))
    assert roomy < 200


def test_the_middleware_is_outermost_and_passes_the_response_on():
    assert settings.MIDDLEWARE[0] == "core.stackroom.StackRoomMiddleware"
    response = object()
    assert StackRoomMiddleware(lambda request: response)(object()) is response
