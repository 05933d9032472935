/*
 * The one browser-side adapter between the checkout and Stripe.js.
 *
 * Works with real Stripe.js and with localstripe's fake (test mode): the card element is mounted
 * into [data-card-element]; on submit the card becomes a payment method id (real: createPaymentMethod
 * -> pm_...; fake: createPaymentMethod is an empty stub, so createToken -> token.card.id) that is
 * posted with the form. The server creates and confirms the PaymentIntent. When the bank asks for
 * 3-D Secure, [data-card-authentication] runs the challenge and returns to the shop, which re-reads
 * the payment from Stripe: the browser's word is never taken for it.
 */
(function () {
  "use strict";

  function paymentMethodId(stripe, card) {
    var created = typeof stripe.createPaymentMethod === "function"
      ? stripe.createPaymentMethod({ type: "card", card: card })
      : undefined;
    return Promise.resolve(created).then(function (result) {
      if (result && result.paymentMethod) { return { id: result.paymentMethod.id }; }
      if (result && result.error) { return { error: result.error }; }
      return stripe.createToken(card).then(function (res) {
        if (res && res.token && res.token.card) { return { id: res.token.card.id }; }
        return { error: (res && res.error) || {} };
      });
    });
  }

  function handleAction(stripe, clientSecret) {
    if (typeof stripe.handleNextAction === "function") {
      return stripe.handleNextAction({ clientSecret: clientSecret });
    }
    return stripe.confirmCardPayment(clientSecret);
  }

  function showError(box, text) {
    box.textContent = text;
    box.hidden = false;
  }

  function setUpCardForm(form) {
    var box = form.querySelector("[data-card-errors]");
    var hidden = form.querySelector("[data-payment-method-id]");
    var button = form.querySelector("button[type=submit]");
    if (typeof window.Stripe !== "function") {
      showError(box, form.dataset.msgStripeMissing);
      button.disabled = true;
      return;
    }
    var stripe = window.Stripe(form.dataset.stripeKey);
    var elements = stripe.elements({ locale: document.documentElement.lang || "auto" });
    var card = elements.create("card", { hidePostalCode: true });
    card.mount(form.querySelector("[data-card-element]"));
    var label = button.textContent;

    form.addEventListener("submit", function (event) {
      if (hidden.value) { return; }
      event.preventDefault();
      if (button.disabled) { return; }
      button.disabled = true;
      button.textContent = form.dataset.msgWorking;
      box.hidden = true;
      paymentMethodId(stripe, card).then(function (result) {
        if (result.id) {
          hidden.value = result.id;
          form.submit();
          return;
        }
        var detail = result.error && result.error.message ? " " + result.error.message : "";
        showError(box, (detail ? form.dataset.msgCardError + detail : form.dataset.msgCardMissing));
        button.disabled = false;
        button.textContent = label;
      }, function () {
        showError(box, form.dataset.msgCardMissing);
        button.disabled = false;
        button.textContent = label;
      });
    });
  }

  function setUpAuthentication(section) {
    var back = function () { window.location.assign(section.dataset.returnUrl); };
    if (typeof window.Stripe !== "function") { back(); return; }
    var stripe = window.Stripe(section.dataset.stripeKey);
    // Success or failure, the shop asks Stripe what happened.
    handleAction(stripe, section.dataset.clientSecret).then(back, back);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-card-form]");
    if (form) { setUpCardForm(form); }
    var section = document.querySelector("[data-card-authentication]");
    if (section) { setUpAuthentication(section); }
  });
})();
