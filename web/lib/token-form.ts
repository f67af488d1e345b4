// What the "new API token" form accepts before it asks the server: a name, at least one
// scope among those the signed-in user holds (a token never holds more than its
// creator), and an optional expiry in whole days (1 to 3650; empty means it never expires).
//
// The form keeps the expiry as the text of its input; tokenRequest turns valid values
// into POST /auth/tokens's body.
import { z } from "zod";
import type { NewToken, TokenScope } from "./settings-api";

export const TOKEN_NAME_MAX = 100;
export const EXPIRY_MAX_DAYS = 3650;

export function tokenFormSchema(allowedScopes: readonly TokenScope[]) {
  return z.object({
    name: z
      .string()
      .trim()
      .min(1, "Name the token after where it is used, e.g. “CI”.")
      .max(TOKEN_NAME_MAX, `A token name has at most ${TOKEN_NAME_MAX} characters.`),
    scopes: z
      .array(z.string())
      .min(1, "Choose at least one scope.")
      .refine((scopes) => scopes.every((scope) => (allowedScopes as readonly string[]).includes(scope)), {
        message: `Only the scopes you hold can be given: ${allowedScopes.join(", ") || "none"}.`,
      }),
    expiresInDays: z
      .string()
      .trim()
      .refine((text) => text === "" || /^\d+$/.test(text), "Enter a whole number of days, or leave it empty.")
      .refine((text) => text === "" || !/^\d+$/.test(text) || (Number(text) >= 1 && Number(text) <= EXPIRY_MAX_DAYS), {
        message: `Between 1 and ${EXPIRY_MAX_DAYS} days.`,
      }),
  });
}

export type TokenFormValues = z.infer<ReturnType<typeof tokenFormSchema>>;

export function tokenRequest(values: TokenFormValues): NewToken {
  return {
    name: values.name.trim(),
    scopes: values.scopes as TokenScope[],
    expires_in_days: values.expiresInDays.trim() === "" ? null : Number(values.expiresInDays.trim()),
  };
}
