"""Geometry of the portal's horizontal bar charts (review dashboard, public results), rendered as inline SVG by
templates (no JavaScript). The one chart module: maps of France are drawn by the network app.

Only presentation attributes are produced (no ``style``), so the Content-Security-Policy stays strict.
"""

import itertools

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
BAR_AREA = 360
VALUE_WIDTH = 50

_ids = itertools.count(1)


def bar_chart(*, title, description, data) -> dict:
    """``data`` is a list of (label, value); returns what ``reviews/admin/_bar_chart.html`` and
    ``public/results/_charts.html`` need."""
    largest = max((value for _label, value in data), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(data):
        y = index * (BAR_HEIGHT + GAP)
        width = round(BAR_AREA * value / largest)
        bars.append(
            {
                "label": label,
                "value": value,
                "y": y,
                "text_y": y + round(BAR_HEIGHT * 0.7),
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    chart_id = next(_ids)
    return {
        "id": f"chart-{chart_id}",
        "title": title,
        "description": description,
        "bars": bars,
        "height": max(1, len(bars)) * (BAR_HEIGHT + GAP),
        "width": LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }
