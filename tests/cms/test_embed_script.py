"""The embed script (embed.js) and the iframe's resize messenger (frame.js), run in Node with a tiny fake DOM.

Checks the origin rules on both sides: the iframe posts its height only to the parent origin it was
given; the parent script accepts heights only from the shop's origin and from its own iframes.
(The browser journey itself is tests/e2e' job.)
"""

import json
import shutil
import subprocess

import pytest
from django.contrib.staticfiles import finders

from cms.embeds import EMBED_BUDGET

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node.js")

HARNESS = r"""
const vm = require("vm");
const fs = require("fs");
const [embedJs, frameJs] = [process.argv[2], process.argv[3]].map((p) => fs.readFileSync(p, "utf8"));
const out = {};

// The organiser's page at https://fair.example with three placeholders.
function element(data) {
  return { dataset: data, attrs: {}, children: [],
    hasAttribute(n) { return n in this.attrs; }, setAttribute(n, v) { this.attrs[n] = v; },
    appendChild(c) { this.children.push(c); } };
}
const placeholders = [
  element({ product: "42", lang: "en", theme: "dark" }),
  element({ page: "7" }),
  element({ product: "1; alert(1)" }),
  element({ product: "5", fair: "hcm2026" }),
  element({ product: "6", fair: "HCM\"><x" }),
];
const listeners = {};
const host = {
  location: { origin: "https://fair.example" },
  document: { readyState: "complete", currentScript: { src: "https://shop.example/static/embed/embed.js" },
    querySelectorAll: () => placeholders,
    createElement: () => ({ style: {}, contentWindow: { id: "frame-window" } }),
    addEventListener() {} },
  addEventListener: (type, fn) => { listeners[type] = fn; },
  URL,
};
host.window = host;
vm.runInNewContext(embedJs, host);
const frames = placeholders.map((p) => p.children[0]);
out.srcs = frames.map((f) => (f ? f.src : null));
out.initial = frames[0].style.cssText;
const send = (origin, source, data) => listeners.message({ origin, source, data });
const msg = (frame, height) => ({ type: "htx-embed:height", frame, height });
send("https://evil.example", frames[0].contentWindow, msg("1", 999));
out.afterWrongOrigin = frames[0].style.height || null;
send("https://shop.example", { id: "someone else" }, msg("1", 998));
out.afterWrongSource = frames[0].style.height || null;
send("https://shop.example", frames[0].contentWindow, msg("99", 997));
out.afterUnknownFrame = frames[0].style.height || null;
send("https://shop.example", frames[0].contentWindow, msg("1", 321.4));
out.afterGood = frames[0].style.height || null;

// Inside the iframe: posts go to the parent origin from ?parent=, and nowhere without it.
const beacons = [];
function runFrame(search, beacon) {
  const posted = [];
  const win = { location: { search, origin: "https://shop.example" }, addEventListener() {}, URLSearchParams, URL,
    parent: { postMessage: (data, target) => posted.push([data, target]) },
    navigator: { sendBeacon: (url) => { beacons.push([search, url]); return true; } },
    document: { documentElement: { getBoundingClientRect: () => ({ height: 321.4 }) },
      body: { getAttribute: (name) => (name === "data-beacon" ? beacon || null : null) } } };
  win.window = win;
  vm.runInNewContext(frameJs, win);
  return posted;
}
runFrame("?parent=https%3A%2F%2Ffair.example&frame=1", "/embed/xem/?hoi_cho=HCM2026");
runFrame("?parent=https%3A%2F%2Fshop.example&frame=1", "/embed/xem/?hoi_cho=HCM2026");  // the shop's own preview
runFrame("", "/embed/xem/?hoi_cho=HCM2026");  // an oEmbed iframe (no parent given)
runFrame("?parent=https%3A%2F%2Ffair.example&frame=1");  // not a fair's embed
out.beacons = beacons;
out.framePosts = runFrame("?theme=dark&parent=https%3A%2F%2Ffair.example&frame=1");
out.framePostsWithoutParent = runFrame("?theme=dark");
out.framePostsBadParent = runFrame("?parent=javascript:alert(1)x&frame=1");
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    harness = tmp_path_factory.mktemp("embedjs") / "harness.js"
    harness.write_text(HARNESS)
    run = subprocess.run(
        ["node", str(harness), finders.find("embed/embed.js"), finders.find("embed/frame.js")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_placeholders_become_iframes_of_the_shops_embed_pages(result):
    assert result["srcs"] == [
        "https://shop.example/en/embed/product/42/?theme=dark&parent=https%3A%2F%2Ffair.example&frame=1",
        "https://shop.example/embed/page/7/?theme=light&parent=https%3A%2F%2Ffair.example&frame=2",
        None,  # a malformed id is left alone
        "https://shop.example/embed/product/5/?theme=light&hoi_cho=HCM2026&parent=https%3A%2F%2Ffair.example&frame=3",
        "https://shop.example/embed/product/6/?theme=light&parent=https%3A%2F%2Ffair.example&frame=4",  # bad code
    ]
    assert "border:0" in result["initial"] and "height:260px" in result["initial"]


def test_parent_accepts_heights_only_from_the_shop_and_its_own_iframes(result):
    assert result["afterWrongOrigin"] is None
    assert result["afterWrongSource"] is None
    assert result["afterUnknownFrame"] is None
    assert result["afterGood"] == "322px"


def test_iframe_posts_its_height_only_to_the_given_parent_origin(result):
    assert result["framePosts"] == [[{"type": "htx-embed:height", "frame": "1", "height": 322}, "https://fair.example"]]
    assert result["framePostsWithoutParent"] == []
    assert all(target != "*" for _data, target in result["framePostsBadParent"])


def test_a_fairs_embed_counts_one_view_on_other_sites_only(result):
    """The beacon goes once per shown iframe, not from the shop's own preview, never without data-beacon."""
    assert result["beacons"] == [
        ["?parent=https%3A%2F%2Ffair.example&frame=1", "/embed/xem/?hoi_cho=HCM2026"],
        ["", "/embed/xem/?hoi_cho=HCM2026"],
    ]


def test_the_scripts_use_the_attribution_parameter_of_shop_fairs():
    from shop.fairs.attribution import PARAM

    assert f'searchParams.set("{PARAM}"' in open(finders.find("embed/embed.js")).read()


def test_script_is_served_by_the_shop_within_budget(client):
    response = client.get("/static/embed/embed.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) < EMBED_BUDGET["embed_js_bytes"]
