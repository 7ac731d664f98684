// The builder's catalogue filters as the therapist types (the Search button does the same on
// the server without JavaScript).
const list = document.querySelector("[data-catalogue]");
const box = document.querySelector("#id_q");
if (list && box) {
  box.addEventListener("input", () => {
    const words = box.value.trim().toLowerCase();
    for (const li of list.querySelectorAll("li[data-name]")) {
      li.hidden = Boolean(words) && !li.dataset.name.toLowerCase().includes(words);
    }
  });
}
