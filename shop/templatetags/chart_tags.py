"""One chart for every staff report: a bar chart drawn as SVG on the server, with its data table.

No charting library and no script: the bars are computed here, the template draws them with SVG
presentation attributes, and the same numbers are in a table for screen readers and for printing.
"""

from django import template

register = template.Library()

# viewBox units; the SVG scales to its container's width.
BAR_WIDTH = 10
GAP = 2
HEIGHT = 100


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(points, caption, money=False, label_every=1):
    """A bar chart of `points`, a list of (label, value) pairs with whole-number values.

    `money` formats the table's values as đồng (Oscar's `currency` filter); `label_every` shows
    only every n-th label under the bars (e.g. 5 for the days of a month). Negative values count as 0.
    """
    points = [(str(label), int(value or 0)) for label, value in points]
    peak = max((value for _, value in points), default=0)
    bars = []
    for index, (label, value) in enumerate(points):
        height = round(HEIGHT * max(value, 0) / peak, 1) if peak > 0 else 0
        bars.append(
            {
                "label": label,
                "value": value,
                # Formatted here: the template would localise a float ("33,3" in Vietnamese).
                "x": index * (BAR_WIDTH + GAP),
                "y": f"{HEIGHT - height:g}",
                "height": f"{height:g}",
                "show_label": index % max(label_every, 1) == 0,
            }
        )
    return {
        "caption": caption,
        "bars": bars,
        "money": money,
        "total": sum(value for _, value in points),
        "width": max(len(bars) * (BAR_WIDTH + GAP) - GAP, 1),
        "bar_width": BAR_WIDTH,
        "height": HEIGHT,
        "label_y": HEIGHT + 12,
        "view_height": HEIGHT + 16,
        "empty": peak <= 0,
    }
