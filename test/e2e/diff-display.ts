/** Reading the `pulumi preview --diff` / `refresh --diff` display (non-interactive, no colour). */

export interface ResourceBlock {
  op: string;
  type: string;
  /** The resource name, from the `[urn=…::name]` line. */
  name: string;
  lines: string[];
}

/** The resources of a `--diff` display: a `<marker> <type>: (<op>)` header, then its lines up to the next one. */
export function resourceBlocks(output: string, type: string): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  for (const line of output.split("\n")) {
    const header = /^\s*(?:\+-|~|\+|-)?\s*([\w:/-]+): \((\w[\w-]*)\)$/.exec(line);
    if (header) {
      blocks.push({ type: header[1], op: header[2], name: "", lines: [] });
    } else if (/^\s*--outputs:--$|^Resources:$/.test(line)) {
      blocks.push({ type: "", op: "", name: "", lines: [] });
    } else if (blocks.length > 0) {
      const block = blocks[blocks.length - 1];
      const urn = /^\s*\[urn=.*::([^:\]]+)\]$/.exec(line);
      if (urn && block.name === "") block.name = urn[1];
      block.lines.push(line);
    }
  }
  return blocks.filter((b) => b.type === type);
}

/** The property lines of a resource block that show a change (`~`, `+`, `-`, `+-`). */
export function changedPropertyLines(blockLines: string[]): string[] {
  return blockLines.map((l) => l.trim()).filter((l) => /^(~|\+|-|\+-) /.test(l));
}
