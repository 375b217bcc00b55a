import { randomUUID } from "crypto";
import { promises as fs } from "fs";
import * as path from "path";
import { CliError } from "../io";

/**
 * Writes a report file given on the command line (`flag` names the option): a temporary file in the same folder,
 * then a rename, so a browser or a sync tool never sees half a file; mode 0600, because reports list people. Any
 * failure to write is OUTPUT_NOT_WRITABLE naming the option and the system's code, never a raw stack.
 */
/**
 * The absolute path, its missing parent folders created first (0700, like `collect --out`: the files list people).
 * A folder that cannot be created is a clear error naming it, before the work, not a raw ENOENT after it.
 */
export async function outputPath(file: string, flag: string): Promise<string> {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    const why = code === "EEXIST" || code === "ENOTDIR" ? "a file is in the way" : code;
    throw new CliError(`${flag} ${resolved}: cannot create the folder ${dir} (${why}); check the path and its permissions, or choose another path.`, "OUTPUT_DIRECTORY_MISSING", 2);
  }
  return resolved;
}

export async function writeOutputFile(file: string, content: string, flag: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    await fs.writeFile(temporary, content, { mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new CliError(`${flag} ${file}: cannot write it (${code}); check the path and its folder's permissions.`, "OUTPUT_NOT_WRITABLE", 2);
  }
}
