/* Oscar 4.2's order page (oscar/dashboard/orders/order_detail.html) still calls
   oscar.dashboard.orders.initTable() on load, which its dashboard.js no longer defines, so every
   order page threw a TypeError. There is nothing to set up: the line checkboxes are plain fields. */
(function () {
  "use strict";
  var orders = window.oscar && window.oscar.dashboard && window.oscar.dashboard.orders;
  if (orders && typeof orders.initTable !== "function") {
    orders.initTable = function () {};
  }
})();
