"""The data core: schema, clock, stamps, search and the Store every write goes through."""

from mutualaid_desktop.store.search import SearchHit
from mutualaid_desktop.store.store import Store

__all__ = ["SearchHit", "Store"]
