// Choosing spreadsheet files for imports and exports (the dialogs of the Tauri shell).
import { open as openFile, save } from "@tauri-apps/plugin-dialog";
import { call, messageOf } from "./api";
import type { ApiError, Result } from "./bindings";
import { t } from "./i18n.svelte";

const sheets = [{ name: "Excel / CSV", extensions: ["xlsx", "csv"] }];

/** The spreadsheet the user picked, or null when they cancelled. */
export async function pickSheet(): Promise<string | null> {
  const path = await openFile({ multiple: false, filters: sheets });
  return typeof path === "string" ? path : null;
}

/**
 * Asks where to save, writes, and returns the notice to show: `done` with the number of rows
 * written, the failure's message, or "" when cancelled.
 */
export async function exportSheet(
  defaultPath: string,
  write: (path: string) => Promise<Result<number, ApiError>>,
  done = (n: number, path: string) => t("trainingFile.exported", { n, path }),
): Promise<string> {
  const path = await save({ defaultPath, filters: sheets });
  if (!path) return "";
  // The notice is the answer either way, so the failure is turned into text here.
  try {
    return done(await call(write(path)), path);
  } catch (e) {
    return messageOf(e);
  }
}
