/**
 * The run's issues, ID → key, held compactly: the search reads up to `limits.issues` (500k) issues and the index is
 * kept for the whole run (de-duplication across windows, readable evidence for changelogs, comments and worklogs).
 * Jira's issue IDs are numbers and keys are `<project>-<number>`, so both pack into small integers: a Map of
 * integers is a fraction of a Map of strings, and that difference is what keeps a 500k-issue search (a real large
 * site, or a server that never ends its search) inside a 256 MB function. Anything else is kept as it came.
 */
export class IssueIndex {
  private readonly packed = new Map<number, number>();
  private readonly verbatim = new Map<string, string>();
  private readonly projects: string[] = [];
  private readonly projectIndex = new Map<string, number>();

  get size(): number {
    return this.packed.size + this.verbatim.size;
  }

  has(id: string): boolean {
    const numeric = numericId(id);
    // A numeric ID whose key does not pack is kept verbatim too.
    return (numeric !== undefined && this.packed.has(numeric)) || this.verbatim.has(id);
  }

  /** Adds the issue; false when its ID is already indexed (the first key read is kept). */
  add(id: string, key: string | undefined): boolean {
    if (this.has(id)) return false;
    const numeric = numericId(id);
    const value = numeric === undefined ? undefined : this.pack(key ?? id);
    if (numeric === undefined || value === undefined) this.verbatim.set(id, key ?? id);
    else this.packed.set(numeric, value);
    return true;
  }

  /** The issue's key for evidence details; its ID when the issue is not indexed. */
  label(id: string): string {
    const numeric = numericId(id);
    if (numeric === undefined) return this.verbatim.get(id) ?? id;
    const value = this.packed.get(numeric);
    if (value === undefined) return this.verbatim.get(id) ?? id;
    if (value < 0) return id; // the key was the ID itself
    return `${this.projects[Math.floor(value / NUMBER_RANGE)]}-${value % NUMBER_RANGE}`;
  }

  /** `<project>-<number>` as one small integer (−1: the key is the ID); undefined when it does not fit. */
  private pack(key: string): number | undefined {
    const match = KEY.exec(key);
    if (!match) return numericId(key) !== undefined ? -1 : undefined;
    const [, project, digits] = match as unknown as [string, string, string];
    const number = Number(digits);
    if (number >= NUMBER_RANGE) return undefined;
    let index = this.projectIndex.get(project);
    if (index === undefined) {
      if (this.projects.length >= MAX_PROJECTS) return undefined;
      index = this.projects.push(project) - 1;
      this.projectIndex.set(project, index);
    }
    return index * NUMBER_RANGE + number;
  }
}

// Values stay below 2^31, V8's small-integer range, so neither keys nor values are boxed.
const NUMBER_RANGE = 2 ** 22;
const MAX_PROJECTS = 2 ** 31 / NUMBER_RANGE - 1;
const KEY = /^(.+)-([1-9][0-9]{0,6})$/;
const ID = /^[1-9][0-9]{0,9}$/;

function numericId(id: string): number | undefined {
  if (!ID.test(id)) return undefined;
  const value = Number(id);
  return value < 2 ** 31 ? value : undefined;
}
