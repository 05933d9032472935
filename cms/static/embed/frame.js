/* Inside an embed iframe: tell the parent page our height so it can size the iframe (cms.embeds).
   Posts only to the origin named in ?parent= (set by the shop's embed.js), never to "*".
   A fair's embed (data-beacon on <body>) also counts one view, except in the shop's own previews. */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var parent = params.get("parent");
  var id = params.get("frame");
  if (window.parent === window) return;
  try {
    parent = parent ? new URL(parent).origin : null;
  } catch (e) {
    parent = null;
  }
  var body = document.body;
  var beacon = body && body.getAttribute("data-beacon");
  var nav = window.navigator;
  if (beacon && parent !== location.origin && nav && nav.sendBeacon) nav.sendBeacon(beacon);
  if (!parent || !id || !/^https?:\/\/[^/]+$/.test(parent)) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "htx-embed:height", frame: id, height: height }, parent);
  }
  if ("ResizeObserver" in window) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  post();
})();
