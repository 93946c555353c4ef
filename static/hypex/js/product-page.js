/* Product page enhancements; the page works without them (links and forms).
   - Gallery: a thumbnail click shows that image in the main frame.
   - Variant picker: choosing an option that names one variant updates price, stock and the
     basket form's child_id in place (and the address bar), without reloading. */
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (gallery) {
    gallery.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-full]");
      if (!link) return;
      event.preventDefault();
      var main = document.getElementById("gallery-main");
      main.src = link.dataset.full;
      main.alt = link.dataset.caption;
    });
  }
  var picker = document.querySelector("[data-variant-picker]");
  var dataNode = document.getElementById("product-variants");
  if (!picker || !dataNode) return;
  var variants = JSON.parse(dataNode.textContent);
  var chosen = {};
  picker.querySelectorAll("a[aria-current]").forEach(function (a) {
    chosen[a.closest("[data-attribute]").dataset.attribute] = a.dataset.value;
  });
  var groups = picker.querySelectorAll("[data-attribute]").length;
  function money(price) {
    var amount = price.amount === null ? null : Number(price.amount);
    if (amount === null) return "";
    try {
      return new Intl.NumberFormat(document.documentElement.lang || "en-GB", { style: "currency", currency: price.currency }).format(amount);
    } catch (e) { return price.currency + " " + amount.toFixed(2); }
  }
  picker.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-value]");
    if (!link) return;
    var code = link.closest("[data-attribute]").dataset.attribute;
    var wanted = Object.assign({}, chosen);
    wanted[code] = link.dataset.value;
    if (Object.keys(wanted).length < groups) return; // not fully chosen yet: follow the link
    var match = variants.filter(function (v) {
      return Object.keys(wanted).every(function (k) { return v.values[k] === wanted[k]; });
    })[0];
    if (!match) return;
    event.preventDefault();
    chosen = wanted;
    link.closest("[data-attribute]").querySelectorAll("a[data-value]").forEach(function (a) {
      var on = a === link;
      a.classList.toggle("btn-dark", on);
      a.classList.toggle("btn-outline-dark", !on);
      if (on) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    document.getElementById("product-price").textContent = money(match.price);
    var available = match.stock_message !== "Out of stock";
    document.getElementById("product-availability").innerHTML = "";
    var stock = document.createElement("span");
    stock.id = "product-stock";
    stock.className = "hypex-stock " + (available ? "text-success" : "text-danger");
    stock.textContent = match.stock_message;
    document.getElementById("product-availability").appendChild(stock);
    document.getElementById("add-to-basket-child").value = match.id;
    document.getElementById("add-to-basket-button").disabled = !available;
    var alertForm = document.getElementById("back-in-stock"); // "Email me when it's back" for this variant
    if (alertForm) {
      alertForm.hidden = available;
      document.getElementById("back-in-stock-child").value = match.id;
      var onList = document.getElementById("back-in-stock-subscribed");
      if (onList) onList.remove(); // that note was about the page's product, not this variant
    }
    var hint = document.getElementById("add-to-basket-hint");
    if (hint) hint.remove();
    history.replaceState(null, "", link.getAttribute("href").split("#")[0]);
  });
})();
