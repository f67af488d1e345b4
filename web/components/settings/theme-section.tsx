// Settings › Appearance: light, dark or the system's theme, as radio buttons; the choice
// applies at once and is remembered in this browser (lib/theme.ts).
"use client";

import * as React from "react";
import { saveTheme, storedTheme, THEME_EVENT, type Theme } from "@/lib/theme";

const CHOICES: { value: Theme; label: string; hint: string }[] = [
  { value: "light", label: "Light", hint: "Dark text on a light background." },
  { value: "dark", label: "Dark", hint: "Light text on a dark background." },
  { value: "system", label: "System", hint: "Follows your device's setting." },
];

export function ThemeSection() {
  const [theme, setTheme] = React.useState<Theme>("system");
  React.useEffect(() => {
    setTheme(storedTheme());
    const follow = (event: Event) => setTheme((event as CustomEvent<Theme>).detail);
    window.addEventListener(THEME_EVENT, follow);
    return () => window.removeEventListener(THEME_EVENT, follow);
  }, []);
  return (
    <fieldset className="grid gap-3">
      <legend className="sr-only">Theme</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        {CHOICES.map((choice) => (
          <label
            key={choice.value}
            className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
          >
            <input
              type="radio"
              name="theme"
              value={choice.value}
              checked={theme === choice.value}
              onChange={() => saveTheme(choice.value)}
              aria-labelledby={`theme-${choice.value}-label`}
              aria-describedby={`theme-${choice.value}-hint`}
              className="mt-0.5 h-4 w-4 accent-primary focus-visible:outline-none"
            />
            <span className="grid gap-0.5">
              <span id={`theme-${choice.value}-label`} className="text-sm font-medium">
                {choice.label}
              </span>
              <span id={`theme-${choice.value}-hint`} className="text-xs text-muted-foreground">
                {choice.hint}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
