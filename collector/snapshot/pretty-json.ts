/**
 * `JSON.stringify(value, null, 2)`, produced piece by piece. A 100k-user seat report lists tens of thousands of
 * inactive holders; stringifying it whole held a ~40 MB string, its UTF-8 Buffer and a copy at once at the end of
 * the run — the collection's memory peak. The output is byte-for-byte what `JSON.stringify(value, null, 2)` gives
 * (tested against it), handed out in chunks of about `chunkSize` characters.
 */

const INDENT = "  ";

export function* prettyJsonChunks(value: unknown, chunkSize = 64 * 1024): Generator<string> {
  const top = prepared(value, "");
  if (top === undefined) throw new TypeError("value is not JSON-serialisable");
  let buffer = "";
  for (const piece of pieces(top, "")) {
    buffer += piece;
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer !== "") yield buffer;
}

/** The serialisation of an already `prepared` value at indentation `pad`. */
function* pieces(value: unknown, pad: string): Generator<string> {
  if (value === null || typeof value !== "object") {
    yield JSON.stringify(value);
    return;
  }
  // A small value (a holder, a product line) goes to the native serialiser whole, re-indented: same bytes, without a
  // generator step per token. Only the big containers around them are walked here, which is what bounds memory.
  if (isSmall(value)) {
    const text = JSON.stringify(value, null, 2);
    yield pad === "" ? text : text.replaceAll("\n", `\n${pad}`);
    return;
  }
  const inner = pad + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    yield "[";
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? "" : ","}\n${inner}`;
      const element = prepared(value[i], String(i));
      // Unserialisable array elements become null, as in JSON.stringify.
      if (element === undefined) yield "null";
      else yield* pieces(element, inner);
    }
    yield `\n${pad}]`;
    return;
  }
  let first = true;
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const member = prepared(raw, name);
    if (member === undefined) continue;
    yield `${first ? "{" : ","}\n${inner}${JSON.stringify(name)}: `;
    first = false;
    yield* pieces(member, inner);
  }
  yield first ? "{}" : `\n${pad}}`;
}

/** At most `budget` values in all (containers and leaves), and no `toJSON` at the top (already applied by `prepared`). */
function isSmall(value: object, budget = SMALL_VALUES): boolean {
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (--left < 0) return false;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else for (const key in v) stack.push((v as Record<string, unknown>)[key]);
  }
  return true;
}
const SMALL_VALUES = 512;

/** `toJSON` applied, and `undefined` for what JSON.stringify leaves out (undefined, functions, symbols). */
function prepared(value: unknown, key: string): unknown {
  let v = value;
  if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return undefined;
  if (typeof v === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
  // Boxed primitives serialise as their primitive value.
  if (v instanceof Number || v instanceof String || v instanceof Boolean) return v.valueOf();
  return v;
}
