"""Where each panel sits on the 1920×1080 screen: three columns, panels by code. A code with
no registered panel is left out; a registered panel not named here goes to the right column."""

COLUMNS = (
    ("left", ("members", "stars", "meetings")),
    ("centre", ("requests", "map", "feed")),
    ("right", ("points", "tasks", "service", "volunteers", "campaigns")),
)


def columns(panels):
    placed = {code for _name, codes in COLUMNS for code in codes}
    extra = tuple(code for code in panels if code not in placed)
    out = []
    for name, codes in COLUMNS:
        if name == "right":
            codes = codes + extra
        out.append((name, [panels[code] for code in codes if code in panels]))
    return out
