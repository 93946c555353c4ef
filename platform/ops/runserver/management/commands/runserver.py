"""daphne's `runserver`: config.asgi (HTTP and websockets) with autoreload and static files.

Importing this module installs Twisted's asyncio reactor (daphne.server does it on import), before
anything else can import `twisted.internet.reactor`: Django loads a command's module before it runs it,
in the autoreloader's parent and again in its serving child.
"""

from daphne.management.commands.runserver import Command  # noqa: F401
