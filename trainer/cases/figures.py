"""The closeness circle of the interpersonal inventory, as plain SVG geometry."""

import math

RINGS = {"inner": 70, "middle": 125, "outer": 180}
CENTRE = 200


def closeness_circle(people) -> list[dict]:
    """Each person's position on their ring, spread evenly around it."""
    placed = []
    for ring, radius in RINGS.items():
        members = [p for p in people if p.closeness == ring]
        for index, person in enumerate(members):
            angle = 2 * math.pi * index / max(len(members), 1) - math.pi / 2 + \
                (0.4 if ring == "middle" else 0.8 if ring == "outer" else 0)
            placed.append({"label": person.label, "ring": ring,
                           "x": round(CENTRE + radius * math.cos(angle), 1),
                           "y": round(CENTRE + radius * math.sin(angle), 1)})
    return placed
