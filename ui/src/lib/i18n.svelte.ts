import { messages, type MessageKey } from "./messages";

export type Locale = "id" | "en";

const KEY = "pelita.locale";

function initial(): Locale {
  try {
    return globalThis.localStorage?.getItem(KEY) === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}

/** The current language; Indonesian unless the user switched. */
export const i18n = $state({ locale: initial() });

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  try {
    globalThis.localStorage?.setItem(KEY, locale);
  } catch {
    // Private mode or no storage: the choice lasts for this session.
  }
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[key][i18n.locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
