"""Background threads that may run while this process forks or lowers its recursion limit.

A fork copies only the calling thread: a lock another thread holds at that moment stays held
in the child for good. And the recursion limit is the same for every thread: lowered for one
deep parse, it could stop another thread that is deeper. So apilint forks, and bounds parsing
by the recursion limit, only while no other thread runs, except the ones registered here: a
thread that touches what a forked child may use (the standard streams included) only while
holding one lock of its own, and whose stack stays a few frames deep (the terminal's progress
line). Whoever forks holds that lock meanwhile (:func:`held_locks`)."""

from __future__ import annotations

import threading
import weakref

_REGISTERED: weakref.WeakKeyDictionary[threading.Thread, threading.Lock] = (
    weakref.WeakKeyDictionary()
)


def background_thread(thread: threading.Thread, lock: threading.Lock) -> None:
    """Register ``thread``: shallow, and touching anything shared only while holding ``lock``."""
    _REGISTERED[thread] = lock


def only_background_threads() -> bool:
    """This is the main thread, and every other running thread is registered."""
    main = threading.main_thread()
    if threading.current_thread() is not main:
        return False
    return all(t is main or t in _REGISTERED for t in threading.enumerate())


def held_locks() -> list[threading.Lock]:
    """The locks of the registered threads still running: hold them all while forking."""
    return [lock for thread, lock in list(_REGISTERED.items()) if thread.is_alive()]
