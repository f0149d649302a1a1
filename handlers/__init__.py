"""One module per command or event, each with its own router; composed here."""

from gidgethub.routing import Router

from handlers import add, config_command, update

router = Router(add.router, update.router, config_command.router)

__all__ = ["router"]
