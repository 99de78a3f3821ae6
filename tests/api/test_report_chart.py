"""
Issue 17: a report drawn as a chart, looked at as a user would. A real
memory attack and a disk fill run on the agent; their charts come from the
API (`GET /v1/reports/{id}.svg`) and the CLI (`stressd report ID --svg
FILE`), are the same picture, and rendered to PNG by Debian's rsvg-convert
they show the attack's window shaded where the SVG puts it, and the curves
in their colours at their points.
"""
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import png  # noqa: E402
from harness.binary import stressd_bin  # noqa: E402

WINDOW = (0xFD, 0xE2, 0xC8)  # ChartPalette.window
WHITE = (0xFF, 0xFF, 0xFF)


def hex_colour(text: str):
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def near(colour, wanted, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted))


def finished(agent, body: dict) -> str:
    status, attack = agent.api("POST", "/v1/attacks", body)
    assert status == 201, attack
    deadline = time.monotonic() + 20
    while agent.api("GET", f"/v1/attacks/{attack['id']}")[1]["state"] != "finished":
        assert time.monotonic() < deadline, f"{attack['id']} still runs after 20 s"
        time.sleep(0.1)
    report = agent.report(attack["id"])
    assert report["cleanup"]["leftovers"] == [], report["cleanup"]
    return attack["id"]


def chart_from_api(agent, attack_id: str) -> str:
    request = urllib.request.Request(f"{agent.url}/v1/reports/{attack_id}.svg",
                                     headers={"Authorization": f"Bearer {agent.token}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "image/svg+xml"
        return answer.read().decode()


def rendered(svg: str, folder: Path) -> png.Image:
    source, picture = folder / "chart.svg", folder / "chart.png"
    source.write_text(svg)
    subprocess.run(["rsvg-convert", str(source), "-o", str(picture)], check=True)
    return png.read(picture)


def elements(svg: str, name: str, cls: str):
    """The attributes of each `<name class="cls" …/>`."""
    found = []
    for line in svg.splitlines():
        if line.startswith(f"<{name} ") and f'class="{cls}"' in line:
            found.append(dict(re.findall(r'([\w-]+)="([^"]*)"', line)))
    return found


def share(image: png.Image, points, wanted) -> float:
    """Of `points`, the share whose pixel (or one beside it) is `wanted`."""
    def seen(x, y):
        return any(near(image.pixel(min(max(x + dx, 0), image.width - 1), min(max(y + dy, 0), image.height - 1)), wanted)
                   for dx in (-1, 0, 1) for dy in (-1, 0, 1))
    points = list(points)
    return sum(seen(round(x), round(y)) for x, y in points) / len(points)


def check_picture(svg: str, folder: Path, curves: dict) -> None:
    size = re.search(r'<svg [^>]*width="([\d.]+)" height="([\d.]+)"', svg)
    image = rendered(svg, folder)
    assert (image.width, image.height) == (round(float(size[1])), round(float(size[2])))
    assert image.width == 960 and image.height > 300

    windows = elements(svg, "rect", "window")
    assert len(windows) >= 3, "one shaded window per panel"
    for window in windows:
        x, y, w, h = (float(window[k]) for k in ("x", "y", "width", "height"))
        assert w > 300, f"the window of a 3 s attack on a time axis of about 4 s is most of the width: {window}"
        inside = [(x + w * i / 10 + 2, y + h * j / 4) for i in range(1, 10) for j in (1, 3)]
        assert share(image, inside, WINDOW) > 0.6, f"window at {window} not shaded"
        # After the window (cleanup) the plot is white.
        after = [(x + w + 6, y + h * j / 4) for j in (1, 3)]
        assert share(image, after, WHITE) == 1, f"shading past the window's end at {window}"

    series = {s["data-name"]: s for s in elements(svg, "polyline", "series")}
    for name, colour in curves.items():
        assert name in series, f"no '{name}' curve in {sorted(series)}"
        points = [tuple(map(float, p.split(","))) for p in series[name]["points"].split()]
        assert len(points) >= 8, f"'{name}' has {len(points)} points: a 3 s attack should be a curve"
        assert series[name]["stroke"] == colour
        assert share(image, points[1:-1], hex_colour(colour)) > 0.7, f"'{name}' not drawn where its points are"


def test_a_reports_chart_shows_its_window_and_curves(make_agent, tmp_path):
    # The fill's floor: 8 MiB of the 64 MiB tmpfs, drawn as a line too.
    agent = make_agent('[policy]\ndisk-floor = "8M"\n')
    memory = finished(agent, {"kind": "mem", "size": "96M", "duration": "3s"})
    svg = chart_from_api(agent, memory)
    cli = tmp_path / "cli.svg"
    subprocess.run([stressd_bin(), "report", memory, "--state-dir", str(agent.state_dir), "--svg", str(cli)],
                   check=True, stdout=subprocess.DEVNULL)
    assert cli.read_text() == svg, "the CLI and the API draw different charts of one report"
    check_picture(svg, tmp_path, {"held": "#d62728", "available": "#2ca02c"})
    assert ">floor " in svg, "the memory floor is drawn"

    fill = finished(agent, {"kind": "disk", "path": str(agent.fill_dir), "size": "24M", "duration": "3s"})
    svg = chart_from_api(agent, fill)
    assert f"Free space on {agent.fill_dir}" in svg
    assert ">floor 8 MiB</text>" in svg and ">fill aims at " in svg
    check_picture(svg, tmp_path, {"free": "#17becf"})
    assert agent.wait_clean() == []


def test_a_chart_of_no_such_report_is_a_404_and_a_bad_id_a_422(make_agent):
    agent = make_agent("")
    assert agent.api("GET", "/v1/reports/mem-00000000.svg")[0] == 404
    assert agent.api("GET", "/v1/reports/not..an-id.svg")[0] == 422
