// Every text the UI shows, one file per domain, each key with its Indonesian (first) and English
// side by side, so neither can be forgotten (the type below and messages.test.ts check it).
// Official labels (PNS, golongan, jabatan, ...) stay as they are in both languages.
import { analysis } from "./analysis";
import { appraisal } from "./appraisal";
import { common } from "./common";
import { evidence } from "./evidence";
import { mutasi } from "./mutasi";
import { plan } from "./plan";
import { register } from "./register";
import { security } from "./security";
import { setup } from "./setup";
import { study } from "./study";
import { sync } from "./sync";
import { training } from "./training";

/** One text in both languages. */
export type Text = { id: string; en: string };
export type Texts = Record<string, Text>;

/** The domains' tables as they are written (messages.test.ts checks that no key is in two). */
export const domains = { common, register, mutasi, training, appraisal, plan, evidence, analysis, security, setup, sync, study };

export const messages = { ...common, ...register, ...mutasi, ...training, ...appraisal, ...plan, ...evidence, ...analysis, ...security, ...setup, ...sync, ...study };

export type MessageKey = keyof typeof messages;

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(messages, key);
}
