"""Everything Qt: the main window, views, dialogs and table models.

Nothing outside this package imports PySide6; this package reaches the data
only through `Session`, which calls the core and tells views what changed.
"""
