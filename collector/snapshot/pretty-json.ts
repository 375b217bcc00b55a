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
    // A run of array elements can be longer than a chunk: it is cut, never between the halves of a surrogate pair.
    while (buffer.length >= chunkSize) {
      const cut = isHighSurrogate(buffer.charCodeAt(chunkSize - 1)) ? chunkSize + 1 : chunkSize;
      if (cut > buffer.length) break;
      yield buffer.slice(0, cut);
      buffer = buffer.slice(cut);
    }
  }
  if (buffer !== "") yield buffer;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

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
    // Consecutive small elements (a report's holders) are serialised a run at a time: one native call per run,
    // not per element. Unserialisable elements become null, as in JSON.stringify.
    let run: unknown[] = [];
    let runValues = 0;
    for (let i = 0; i < value.length; i++) {
      const element = prepared(value[i], String(i));
      const values = element !== null && typeof element === "object" ? valueCount(element) : 1;
      if (values === undefined) {
        if (run.length > 0) yield runText(run, i - run.length, pad);
        run = [];
        runValues = 0;
        yield `${i === 0 ? "" : ","}\n${inner}`;
        yield* pieces(element, inner);
        continue;
      }
      run.push(element === undefined ? null : element);
      runValues += values;
      if (runValues >= SMALL_VALUES * 8) {
        yield runText(run, i + 1 - run.length, pad);
        run = [];
        runValues = 0;
      }
    }
    if (run.length > 0) yield runText(run, value.length - run.length, pad);
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

/**
 * Array elements `first`… of one array at indentation `pad`, as JSON.stringify indents them, with the separator
 * before the first element when it is not the array's first. The run is nested as deep as `pad` so the native
 * serialiser indents its lines itself (re-indenting the text cost as much again), and the wrapping is cut off.
 */
function runText(run: unknown[], first: number, pad: string): string {
  const depth = pad.length / INDENT.length;
  let wrapped: unknown = run;
  for (let k = 0; k < depth; k++) wrapped = [wrapped];
  // Before the run's elements: `[` and one `\n<indent>[` per wrapping level; after them, the run's `\n<pad>]` and
  // one `\n<indent>]` per level.
  const head = 1 + depth * 2 + depth * (depth + 1);
  const tail = pad.length + 2 + depth * 2 + depth * (depth - 1);
  const text = JSON.stringify(wrapped, null, 2);
  return `${first === 0 ? "" : ","}${text.slice(head, text.length - tail)}`;
}

function isSmall(value: object): boolean {
  return valueCount(value) !== undefined;
}

/**
 * The number of values (containers and leaves) in `value`, or undefined beyond `budget` or with a `toJSON` at the top
 * (already applied by `prepared`): such values are walked piece by piece.
 */
function valueCount(value: object, budget = SMALL_VALUES): number | undefined {
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > budget) return undefined;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else for (const key in v) stack.push((v as Record<string, unknown>)[key]);
  }
  return count;
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
