// Choosing spreadsheet files for training imports and exports (the dialogs of the Tauri shell).
import { open as openFile, save } from "@tauri-apps/plugin-dialog";
import { call, messageOf } from "../../lib/api";
import type { ApiError, Result } from "../../lib/bindings";
import { t } from "../../lib/i18n.svelte";

const sheets = [{ name: "Excel / CSV", extensions: ["xlsx", "csv"] }];

/** The spreadsheet the user picked, or null when they cancelled. */
export async function pickSheet(): Promise<string | null> {
  const path = await openFile({ multiple: false, filters: sheets });
  return typeof path === "string" ? path : null;
}

/** Asks where to save, writes, and returns the notice to show ("" when cancelled). */
export async function exportSheet(defaultPath: string, write: (path: string) => Promise<Result<number, ApiError>>): Promise<string> {
  const path = await save({ defaultPath, filters: sheets });
  if (!path) return "";
  try {
    return t("trainingFile.exported", { n: await call(write(path)), path });
  } catch (e) {
    return messageOf(e);
  }
}
