// What the built-in account form accepts before it asks the server: a username and a
// password, both present. The server decides whether they are right (the browser never
// guesses at password rules it does not know), so only emptiness and absurd lengths are refused here.
import { z } from "zod";

export const signInSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, "Enter your username.")
    .max(254, "A username has at most 254 characters."),
  password: z.string().min(1, "Enter your password.").max(1024, "A password has at most 1024 characters."),
});

export type SignInValues = z.infer<typeof signInSchema>;
