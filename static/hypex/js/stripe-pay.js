/* Our Stripe card page: mounts Stripe's Payment Element and confirms the PaymentIntent in the browser.
   Stripe then sends the payer to the return URL, where the server asks Stripe for the result. */
(function () {
  "use strict";
  var form = document.getElementById("stripe-payment-form");
  if (!form || typeof window.Stripe !== "function") return;
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  var payment = elements.create("payment");
  var button = document.getElementById("stripe-pay");
  var error = document.getElementById("stripe-payment-error");
  payment.mount("#stripe-payment-element");
  payment.on("ready", function () { button.disabled = false; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        if (result.error) {
          error.textContent = result.error.message;
          error.hidden = false;
          button.disabled = false;
        }
      });
  });
})();
