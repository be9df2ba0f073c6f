from .navigation import bottom_bar_for, menu_for
from .roles import Perm
from .scoping import has_perm_anywhere


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    class _Can:
        def __getitem__(self, name):
            return has_perm_anywhere(user, Perm(name.replace("_", ".", 1)))

    return {
        "can": _Can(),
        "nav": lambda: menu_for(user),
        "bottom_bar": lambda: bottom_bar_for(user),
    }
