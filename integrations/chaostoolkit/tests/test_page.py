"""The run's HTML page: what an agent or an experiment sends is text on
it, never markup, and a chart cannot carry script into it."""
import base64

from chaosstressd.page import render_page


def test_the_page_escapes_what_it_is_given_and_embeds_charts_as_images():
    hostile = '<script>alert("x")</script>'
    report = {
        "id": "kill-0000abcd",
        "spec": {"kind": "kill"},
        "outcome": {"status": "aborted", "reason": hostile},
        "cleanup": {"leftovers": []},
        "abortConditions": [{
            "condition": f"http http://x/{hostile}",
            "evaluations": [{"passed": True, "detail": "ok"}, {"passed": False, "detail": hostile}],
        }],
    }
    entry = {"run_id": "r" * 32, "label": "l", "nothing_left": True, "errors": [hostile],
             "hosts": {hostile: {"url": "http://h", "attacks": [report]}}}
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page = render_page({"title": hostile}, {"status": "completed"}, entry, {(hostile, "kill-0000abcd"): svg, ("another host", "kill-0000abcd"): "<svg>theirs</svg>"})

    assert "<script" not in page.lower()
    assert page.count("&lt;script&gt;") >= 5
    encoded = base64.b64encode(svg.encode()).decode()
    assert f'<img alt="chart of kill-0000abcd" src="data:image/svg+xml;base64,{encoded}">' in page
    assert "theirs" not in page, "another host's chart of the same id is not this host's"
    assert '<span class="bad">aborted</span>' in page
    assert "2 check(s), 1 failed" in page and '<span class="bad">failed</span>' in page


def test_an_attack_without_a_chart_says_so():
    report = {"id": "cpu-0000abcd", "spec": {"kind": "cpu"}, "outcome": {"status": "completed"},
              "cleanup": {"leftovers": ["a cgroup"]}}
    entry = {"run_id": "r", "label": "l", "nothing_left": False, "errors": [],
             "hosts": {"web-1": {"url": "http://h", "attacks": [report]}}}
    page = render_page({}, {}, entry, {("web-1", "cpu-0000abcd"): None})
    assert "(no chart: the agent could not draw it)" in page
    assert "left behind: a cgroup" in page and "Not verified that nothing was left behind" in page
