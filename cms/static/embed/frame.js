/* Inside an embed iframe: tell the parent page our height so it can size the iframe (cms.embeds).
   Posts only to the origin named in ?parent= (set by the shop's embed.js), never to "*". */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var parent = params.get("parent");
  var id = params.get("frame");
  if (!parent || !id || window.parent === window) return;
  try {
    parent = new URL(parent).origin;
  } catch (e) {
    return;
  }
  if (!/^https?:\/\/[^/]+$/.test(parent)) return;
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
