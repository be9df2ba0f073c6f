"""Decode the QR code of a page: rasterise segno's inline SVG path, read it with zxing-cpp."""

import re

import zxingcpp

_SVG = re.compile(r"<svg[^>]*class=\"segno\".*?</svg>", re.S)
_DARK = re.compile(r"<path[^>]*class=\"qrline\"[^>]*\sd=\"([^\"]+)\"")
_OP = re.compile(r"([MmHh])\s*([-0-9.]+)(?:[\s,]+([-0-9.]+))?")


def svg_modules(svg):
    """Dark modules {(row, col)} of a segno SVG (lines drawn as `M x y h n m dx dy …`)."""
    path = _DARK.search(svg).group(1)
    x = y = 0.0
    dark = set()
    for op, a, b in _OP.findall(path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            n = float(a) if op == "h" else float(a) - x
            for col in range(int(x), int(x + n)):
                dark.add((int(y), col))
            x += n
    return dark


def decode_svg(svg, scale=4):
    dark = svg_modules(svg)
    size = max(max(r for r, _ in dark), max(c for _, c in dark)) + 5  # quiet zone
    rows = []
    for y in range(size * scale):
        row = bytes(0 if (y // scale, x // scale) in dark else 255 for x in range(size * scale))
        rows.append(row)
    image = memoryview(b"".join(rows)).cast("B", (size * scale, size * scale))
    result = zxingcpp.read_barcode(image)
    return result.text if result else None


def decode_page(html):
    """The text of the first QR code on an HTML page."""
    return decode_svg(_SVG.search(html).group(0))
