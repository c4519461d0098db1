// Optional comforts; the page works without them.
document.addEventListener("DOMContentLoaded", function () {
  var paste = document.getElementById("redirect");
  if (paste) paste.focus();
  var copy = document.getElementById("copy-code"), code = document.getElementById("user-code");
  if (copy && code && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () { navigator.clipboard.writeText(code.textContent).then(function () { copy.textContent = "Copied"; }); });
  }
});
