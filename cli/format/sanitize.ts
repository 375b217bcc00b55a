/**
 * Terminal safety for text the CLI prints: names, groups, products and error details come from Atlassian, and an
 * escape sequence in them could clear the screen, retitle the window, plant a hyperlink or reorder what the admin
 * reads. Pure.
 */

/* eslint-disable no-control-regex -- matching control characters is the point of this module */
/** ESC sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings up to their terminator, and two-byte escapes. */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[ -/]*[0-~]?)/g;
/** The same sequences introduced by their 8-bit C1 forms (CSI U+009B, OSC U+009D, DCS U+0090…). */
const C1_SEQUENCE = /\u009b[0-?]*[ -/]*[@-~]?|[\u009d\u0090\u0098\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
/** Bidi embeddings, overrides and isolates: they reorder the characters that follow them. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
/** What remains of C0 (but tab and line feed, and CR before LF), DEL and C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;
const LINE_BREAK = /[\t\r\n]/g;
/* eslint-enable no-control-regex */

/** Printable text: sequences and bidi controls removed, other control characters shown as a space; keeps line breaks and tabs. */
export function safeText(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, "").replace(C1_SEQUENCE, "").replace(BIDI, "").replace(CONTROL, " ");
}

/** `safeText` on one line: tabs and line breaks become spaces too (a table cell, a report field). */
export function safeLine(text: string): string {
  return safeText(text).replace(LINE_BREAK, " ");
}

/**
 * A JSON document on one line that is safe on a terminal yet keeps the data: JSON.stringify escapes C0 but not
 * DEL, C1 or bidi controls, so those are escaped here (`\u009b`), which a JSON parser reads back unchanged.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}\n`;
}
