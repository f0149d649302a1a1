"""One module per command or event, each with its own router; composed here."""

from gidgethub.routing import Router

from handlers import add, config_command, installations, update, update_cycle

router = Router(add.router, update.router, update_cycle.router, config_command.router,
                installations.router)

__all__ = ["router"]
