// The theme choice: "light", "dark" or "system" (follow prefers-color-scheme), kept in
// localStorage and applied as the `dark` class on <html>. THEME_SCRIPT runs before the
// first paint (inlined in the layout's <head>) so a dark page never flashes light.
export type Theme = "light" | "dark" | "system";

export const THEME_KEY = "mecapy-theme";

/** Dispatched on window by saveTheme, with the new choice as detail, so every picker on the page follows. */
export const THEME_EVENT = "mecapy-theme-change";

export function storedTheme(): Theme {
  try {
    const value = window.localStorage.getItem(THEME_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(theme: Theme): void {
  const dark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

export function saveTheme(theme: Theme): void {
  try {
    if (theme === "system") window.localStorage.removeItem(THEME_KEY);
    else window.localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
  applyTheme(theme);
  window.dispatchEvent(new CustomEvent<Theme>(THEME_EVENT, { detail: theme }));
}

export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d)}catch(e){}})()`;
