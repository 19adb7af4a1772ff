// The QR sheet's print button (no inline handlers: the Content-Security-Policy allows only this file).
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
