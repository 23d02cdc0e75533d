// Mon stage de 3e, espace partenaires: the "copy" buttons (data-copy="<id of a field>").
// Everything else works without JavaScript.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) {
    return;
  }
  var done = function () {
    button.textContent = "Copié !";
  };
  var fallback = function () {
    field.select();
    document.execCommand("copy");
    done();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, fallback);
  } else {
    fallback();
  }
});
