"""One module per command or event, each with its own router; composed here."""

from gidgethub.routing import Router

from handlers import add, update

router = Router(add.router, update.router)

__all__ = ["router"]
