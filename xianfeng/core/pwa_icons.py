"""Draw the app's home-screen icons into static/img/pwa (run by hand; the PNGs are committed)."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parents[1] / "static" / "img" / "pwa"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
RED, GOLD = (192, 0, 0), (255, 214, 0)


def draw(size, *, maskable):
    image = Image.new("RGB", (size, size), RED)
    d = ImageDraw.Draw(image)
    # A maskable icon keeps its drawing inside the central 80% "safe zone".
    inset = size * (0.2 if maskable else 0.1)
    box = (inset, inset, size - inset, size - inset)
    d.rounded_rectangle(box, radius=size * 0.08, outline=GOLD, width=max(2, size // 40))
    third = (box[2] - box[0]) / 3
    for i in (1, 2):
        d.line(
            (box[0] + i * third, box[1], box[0] + i * third, box[3]),
            fill=GOLD,
            width=max(1, size // 80),
        )
        d.line(
            (box[0], box[1] + i * third, box[2], box[1] + i * third),
            fill=GOLD,
            width=max(1, size // 80),
        )
    font = ImageFont.truetype(FONT, int(size * (0.3 if maskable else 0.38)))
    d.text(
        (size / 2, size / 2),
        "网",
        font=font,
        fill="white",
        anchor="mm",
        stroke_width=size // 60,
        stroke_fill=RED,
    )
    return image


if __name__ == "__main__":
    for size in (192, 512):
        draw(size, maskable=False).save(HERE / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(HERE / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=False).save(HERE / "apple-touch-icon.png", optimize=True)
