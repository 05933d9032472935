"""The staff reports' bar chart: bars proportional to the values, numbers never localised in SVG."""

from django.template import Context, Template
from django.utils import translation


def render(points, **options):
    template = Template("{% load chart_tags %}{% bar_chart points caption money=money label_every=every %}")
    with translation.override("vi"):
        return template.render(
            Context({"points": points, "caption": "Doanh số", "money": options.get("money", False), "every": 2})
        )


def test_bars_are_proportional_to_the_highest_value():
    html = render([("1", 50), ("2", 100), ("3", 0), ("4", 1)])
    assert 'height="50"' in html and 'height="100"' in html and 'height="0"' in html
    # Coordinates stay dot-decimal whatever the locale, or the SVG breaks in Vietnamese.
    assert 'height="1"' in html and 'y="99"' in html
    assert 'height="33.3"' in render([("1", 1), ("2", 3)]) and "33,3" not in render([("1", 1), ("2", 3)])


def test_table_carries_every_value_and_the_total_in_dong():
    html = render([("T1", 250000), ("T2", 1000000)], money=True)
    assert "250.000\xa0₫" in html and "1.250.000\xa0₫" in html


def test_labels_every_nth_and_empty_series_says_so():
    html = render([("1", 1), ("2", 1), ("3", 1)])
    assert html.count("<text") == 2
    empty = render([("1", 0), ("2", 0)])
    assert "<svg" not in empty and "Chưa có số liệu" in empty
