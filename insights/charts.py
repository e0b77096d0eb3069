"""Charts drawn by the server as inline SVG: horizontal bars, a funnel and a trend by month.

No script and no style attribute (the Content Security Policy allows neither): geometry goes
in SVG attributes, colours in classes of the app's stylesheet (`.chart .tone-1` …). Each chart
is an image with a name (role="img", aria-label and <title>); its numbers are in the table
shown next to it, which is what assistive technologies read.
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH = 380  # drawn at about this size next to a table; the SVG scales with its column
WIDE = 880  # a chart on its own row
TONES = 5  # .tone-1 … .tone-5 in app.css
# Lines also differ by their dash pattern, so the series never differ by colour alone.
DASHES = ("none", "6 4", "2 3", "9 3 2 3", "1 5")
CHAR_WIDTH = 6.6  # average width of a 12-px system-font character, to lay out legends


@dataclass(frozen=True)
class Bar:
    value: float
    text: str  # what the bar's end says, formatted by the caller


@dataclass(frozen=True)
class BarRow:
    label: str
    bars: list  # one Bar per series
    text: str = ""  # said at the end of a stacked bar


@dataclass(frozen=True)
class Step:
    label: str
    value: int
    text: str  # the count, formatted
    conversion: str = ""  # from the step before, formatted ("" for the first)


def _join(parts):
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html


def _svg(width, height, label, body, css=""):
    return format_html(
        '<svg class="chart {}" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}" focusable="false"><title>{}</title>{}</svg>',
        css,
        width,
        _n(height),
        width,
        _n(height),
        label,
        label,
        body,
    )


def _n(value):
    """A coordinate: two decimals at most, a dot whatever the language."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _legend(names, width, *, line=False):
    """Series names with a swatch of their colour (and dash), wrapped to the chart's width.

    Returns (markup, height used).
    """
    parts, x, y = [], 0, 12
    swatch = 24 if line else 15
    for index, name in enumerate(names):
        item = swatch + CHAR_WIDTH * len(str(name))
        if x and x + item > width:
            x, y = 0, y + 18
        tone = index % TONES + 1
        if line:
            parts.append(
                format_html(
                    '<line class="chart-line tone-{}" x1="{}" y1="{}" x2="{}" y2="{}" '
                    'stroke-dasharray="{}"/>',
                    tone,
                    _n(x),
                    y - 4,
                    _n(x + 18),
                    y - 4,
                    DASHES[index % len(DASHES)],
                )
            )
        else:
            parts.append(
                format_html(
                    '<rect class="chart-bar tone-{}" x="{}" y="{}" width="10" height="10" rx="2"/>',
                    tone,
                    _n(x),
                    y - 9,
                )
            )
        parts.append(
            format_html('<text class="chart-key" x="{}" y="{}">{}</text>', _n(x + swatch), y, name)
        )
        x += item + 18
    return _join(parts), y + 12


def bars(rows, *, label, series=(), max_value=None, stacked=False):
    """Horizontal bars, one row per item, the label above its bar(s) and the value at the end.

    `rows` is a list of BarRow; with several bars per row, `series` names them in a legend.
    Stacked, a row's bars become segments of one bar, and its `text` is said at the end.
    """
    if stacked:
        return _stacked_bars(rows, label=label, series=series, max_value=max_value)
    legend, top = _legend(series, WIDTH) if len(series) > 1 else ("", 0)
    per_row = len(series) or 1
    bar_h, gap = 10, 8
    row_h = 20 + per_row * (bar_h + gap) + 6
    track = WIDTH - 84
    peak = max_value or max((bar.value for row in rows for bar in row.bars), default=0) or 1
    parts = [legend]
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(
            format_html('<text class="chart-label" x="0" y="{}">{}</text>', y + 13, row.label)
        )
        for j, bar in enumerate(row.bars):
            by = y + 20 + j * (bar_h + gap)
            width = track * max(bar.value or 0, 0) / peak
            parts.append(
                format_html(
                    '<rect class="chart-track" x="0" y="{}" width="{}" height="{}" rx="3"/>'
                    '<rect class="chart-bar tone-{}" x="0" y="{}" width="{}" height="{}" rx="3"/>'
                    '<text class="chart-value" x="{}" y="{}" text-anchor="end">{}</text>',
                    by,
                    track,
                    bar_h,
                    j % TONES + 1,
                    by,
                    _n(max(width, 2) if bar.value else 0),
                    bar_h,
                    WIDTH,
                    by + bar_h - 1,
                    bar.text,
                )
            )
    height = top + max(len(rows), 1) * row_h
    return _svg(WIDTH, height, label, _join(parts), "chart--bars")


def _stacked_bars(rows, *, label, series, max_value):
    legend, top = _legend(series, WIDTH)
    bar_h, row_h = 10, 40
    track = WIDTH - 84
    totals = [sum(bar.value or 0 for bar in row.bars) for row in rows]
    peak = max_value or max(totals, default=0) or 1
    parts = [legend]
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(
            format_html(
                '<text class="chart-label" x="0" y="{}">{}</text>'
                '<rect class="chart-track" x="0" y="{}" width="{}" height="{}" rx="3"/>'
                '<text class="chart-value" x="{}" y="{}" text-anchor="end">{}</text>',
                y + 13,
                row.label,
                y + 20,
                track,
                bar_h,
                WIDTH,
                y + 20 + bar_h - 1,
                row.text,
            )
        )
        x = 0
        for j, bar in enumerate(row.bars):
            width = track * (bar.value or 0) / peak
            if width:
                parts.append(
                    format_html(
                        '<rect class="chart-bar tone-{}" x="{}" y="{}" width="{}" height="{}"/>',
                        j % TONES + 1,
                        _n(x),
                        y + 20,
                        _n(width),
                        bar_h,
                    )
                )
            x += width
    height = top + max(len(rows), 1) * row_h
    return _svg(WIDTH, height, label, _join(parts), "chart--bars")


def funnel(steps, *, label):
    """A funnel: one centred bar per step, as wide as its count, joined to the next by a band
    that carries the conversion rate between the two."""
    step_h, gap = 30, 26
    label_w, value_w = 136, 44
    zone = WIDTH - label_w - value_w
    centre = label_w + zone / 2
    peak = max((step.value for step in steps), default=0) or 1
    widths = [max(zone * step.value / peak, 3 if step.value else 0) for step in steps]
    parts = []
    for i, step in enumerate(steps):
        y = i * (step_h + gap)
        half = widths[i] / 2
        if i:
            above = widths[i - 1] / 2
            parts.append(
                format_html(
                    '<polygon class="chart-band" points="{},{} {},{} {},{} {},{}"/>'
                    '<text class="chart-rate" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(centre - above),
                    y - gap,
                    _n(centre + above),
                    y - gap,
                    _n(centre + half),
                    y,
                    _n(centre - half),
                    y,
                    _n(centre),
                    _n(y - gap / 2 + 4),
                    step.conversion,
                )
            )
        parts.append(
            format_html(
                '<rect class="chart-bar tone-1" x="{}" y="{}" width="{}" height="{}" rx="4"/>'
                '<text class="chart-label" x="0" y="{}">{}</text>'
                '<text class="chart-value chart-value--big" x="{}" y="{}" '
                'text-anchor="end">{}</text>',
                _n(centre - half),
                y,
                _n(widths[i]),
                step_h,
                _n(y + step_h / 2 + 4),
                step.label,
                WIDTH,
                _n(y + step_h / 2 + 5),
                step.text,
            )
        )
    height = len(steps) * (step_h + gap) - gap
    return _svg(WIDTH, height, label, _join(parts), "chart--funnel")


def _axis(peak, integer):
    """A round top for the y axis and its ticks (whole numbers for counts)."""
    if integer:
        step = max(1, -(-int(peak) // 4))
        return step * 4, [step * k for k in range(5)]
    top = 1
    for candidate in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        top = candidate
        if candidate >= peak:
            break
    return top, [top * k / 4 for k in range(5)]


def trend(months, series, *, label, width=WIDTH, integer=False):
    """Lines by month. `months` are (label, sub-label) pairs for the x axis; `series` is a list
    of (name, values) with one value per month, None where there is nothing to plot (the
    line breaks there). `integer` keeps the y ticks whole (counts)."""
    legend, top = _legend([name for name, _ in series], width, line=True)
    left, right, bottom, plot_h = 34, 14, 34, 150
    top += 10
    height = top + plot_h + bottom
    plot_w = width - left - right
    peak = max((v for _, values in series for v in values if v), default=0)
    axis_top, ticks = _axis(peak, integer)
    step_x = plot_w / max(len(months) - 1, 1)

    def x_of(i):
        return left + (i * step_x if len(months) > 1 else plot_w / 2)

    def y_of(value):
        return top + plot_h * (1 - value / axis_top)

    parts = [legend]
    for value in ticks:
        y = y_of(value)
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                _n(y),
                width - right,
                _n(y),
                left - 6,
                _n(y + 4),
                number_format(value, decimal_pos=0 if value == int(value) else 1, use_l10n=True),
            )
        )
    every = max(1, -(-len(months) * 34 // plot_w))  # a label every n months, 34 px apart
    for i, (month, sub) in enumerate(months):
        if i % every:
            continue
        parts.append(
            format_html(
                '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}'
                '<tspan x="{}" dy="12">{}</tspan></text>',
                _n(x_of(i)),
                top + plot_h + 16,
                month,
                _n(x_of(i)),
                sub,
            )
        )
    # The first series (the most frequent cause) is drawn last, on top of the others.
    for index, (_name, values) in reversed(list(enumerate(series))):
        tone, dash = index % TONES + 1, DASHES[index % len(DASHES)]
        for run in _runs(values):
            points = " ".join(f"{_n(x_of(i))},{_n(y_of(v))}" for i, v in run)
            parts.append(
                format_html(
                    '<polyline class="chart-line tone-{}" points="{}" stroke-dasharray="{}"/>',
                    tone,
                    points,
                    dash,
                )
            )
        parts.append(
            format_html_join(
                "",
                '<circle class="chart-dot tone-{}" cx="{}" cy="{}" r="3"/>',
                ((tone, _n(x_of(i)), _n(y_of(v))) for i, v in enumerate(values) if v),
            )
        )
    css = "chart--trend chart--wide" if width > WIDTH else "chart--trend"
    return _svg(width, height, label, _join(parts), css)


def _runs(values):
    """Consecutive (index, value) pairs without a gap."""
    run = []
    for i, value in enumerate(values):
        if value is None:
            if run:
                yield run
            run = []
        else:
            run.append((i, value))
    if run:
        yield run
