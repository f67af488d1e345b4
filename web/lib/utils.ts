// Class-name helper of the ui/ components: joins conditional classes and lets a later
// Tailwind class win over an earlier one of the same kind (px-2 then px-4 gives px-4).
import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
