/* The shop's embed script, for organisers' pages:
     <div class="htx-embed" data-product="42" data-lang="vi" data-theme="light"></div>
     <script src="https://<shop>/static/embed/embed.js" async></script>
   Each placeholder (data-product="<id>", data-page="<collection or fair page id>" or
   data-cooperative="<slug>") gets an iframe of the shop's embed page, resized to its content.
   data-fair="<fair code>" makes its links carry that trade fair's code (?hoi_cho=, shop.fairs).
   Height messages are accepted only from the shop's origin and only from our own iframes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var shop = new URL(script.src).origin;
  var frames = {};
  var count = 0;

  function path(el) {
    var d = el.dataset;
    if (/^\d+$/.test(d.product || "")) return "embed/product/" + d.product + "/";
    if (/^\d+$/.test(d.page || "")) return "embed/page/" + d.page + "/";
    if (/^[\w-]+$/.test(d.cooperative || "")) return "embed/cooperative/" + d.cooperative + "/";
    return null;
  }

  function build(el) {
    var where = path(el);
    if (!where || el.hasAttribute("data-htx-ready")) return;
    var id = String(++count);
    var url = new URL(shop + "/" + (el.dataset.lang === "en" ? "en/" : "") + where);
    url.searchParams.set("theme", el.dataset.theme === "dark" ? "dark" : "light");
    if (/^[A-Za-z0-9-]{1,20}$/.test(el.dataset.fair || "")) url.searchParams.set("hoi_cho", el.dataset.fair.toUpperCase());
    url.searchParams.set("parent", location.origin);
    url.searchParams.set("frame", id);
    var iframe = document.createElement("iframe");
    iframe.src = url.href;
    iframe.title = el.dataset.title || (el.dataset.lang === "en" ? "Cashew products" : "Sản phẩm hạt điều");
    iframe.loading = "lazy";
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.style.cssText = "display:block;width:100%;min-width:280px;border:0;height:" +
      (el.dataset.product ? "260px" : "600px");
    frames[id] = iframe;
    el.setAttribute("data-htx-ready", "");
    el.appendChild(iframe);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== shop) return;
    var data = event.data;
    if (!data || data.type !== "htx-embed:height" || !Object.prototype.hasOwnProperty.call(frames, data.frame)) return;
    var iframe = frames[data.frame];
    if (event.source !== iframe.contentWindow) return;
    var height = Number(data.height);
    if (height > 0 && height < 20000) iframe.style.height = Math.ceil(height) + "px";
  });

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll(".htx-embed"), build);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
