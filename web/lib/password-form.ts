// What the "change password" form accepts before asking the server: the current
// password, a new one of at least 10 characters (the server's own minimum; it may refuse
// more, e.g. a weak one, and says why) that differs from the current one, typed twice alike.
import { z } from "zod";

export const PASSWORD_MIN = 10;

export const passwordFormSchema = z
  .object({
    current: z.string().min(1, "Enter your current password."),
    next: z
      .string()
      .min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters.`)
      .max(1024, "A password has at most 1024 characters."),
    again: z.string(),
  })
  .refine((v) => v.next === v.again, { path: ["again"], message: "The two new passwords differ." })
  .refine((v) => v.next !== v.current, { path: ["next"], message: "The new password is the current one." });

export type PasswordFormValues = z.infer<typeof passwordFormSchema>;
