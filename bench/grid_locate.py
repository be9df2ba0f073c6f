"""Issue 16: a point finds its grid among 10,000 through the per-process STRtree
(xianfeng/grid/locate.py). Target: lookup p95 < 1 ms.

    python -m bench.grid_locate [--grids 10000] [--lookups 20000]

The grids are built in memory as the index sees them: 100 communities in a 10 × 10 block,
each cut into 100 buildings (10,100 polygons, nested as in a real street), no database.
Points fall anywhere in the block and a little beyond (some in no grid).
"""

import argparse
import os
import random
import time

WEST, SOUTH = 117.0, 36.6
STEP = 0.01  # a community is 0.01° square (about 1 km)


def box(west, south, size):
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [west, south],
                [west + size, south],
                [west + size, south + size],
                [west, south + size],
                [west, south],
            ]
        ],
    }


def rows(grids):
    side = max(1, round((grids / 100) ** 0.5))
    inner = STEP / 10
    pk = 0
    for i in range(side):
        for j in range(side):
            west, south = WEST + i * STEP, SOUTH + j * STEP
            pk += 1
            yield pk, box(west, south, STEP)
            for k in range(100):
                pk += 1
                yield pk, box(west + (k % 10) * inner, south + (k // 10) * inner, inner * 0.9)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.grid_locate")
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    import django

    django.setup()
    from xianfeng.grid.locate import build_index

    started = time.perf_counter()
    index = build_index(rows(args.grids))
    built = time.perf_counter() - started
    side = max(1, round((args.grids / 100) ** 0.5))
    rng = random.Random(1)
    points = [
        (SOUTH + rng.uniform(-0.1, 1.1) * side * STEP, WEST + rng.uniform(-0.1, 1.1) * side * STEP)
        for _ in range(args.lookups)
    ]
    samples, found = [], 0
    for lat, long in points:
        start = time.perf_counter()
        pk = index.find(lat, long)
        samples.append((time.perf_counter() - start) * 1000)
        found += pk is not None
    samples.sort()
    p50 = samples[len(samples) // 2]
    p95 = samples[round(0.95 * (len(samples) - 1))]
    print(
        f"grids {len(index.ids):,} · index built in {built * 1000:.0f} ms · "
        f"{args.lookups:,} lookups ({found:,} in a grid): p50 {p50:.3f} ms, p95 {p95:.3f} ms, "
        f"max {samples[-1]:.3f} ms · target p95 < 1 ms: {'met' if p95 < 1 else 'MISSED'}"
    )
    return 0 if p95 < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
