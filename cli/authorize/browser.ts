/**
 * Opens the consent URL in the admin's browser when there is one to open: macOS `open`, Windows' URL handler, or
 * `xdg-open` on a Linux desktop (DISPLAY or WAYLAND_DISPLAY set). No shell is involved, so the URL is never
 * interpreted. Failure is silent: the URL is always printed as well.
 */
import { spawn } from "child_process";

export function browserCommand(platform: NodeJS.Platform, env: Record<string, string | undefined>, url: string): [string, string[]] | undefined {
  if (platform === "darwin") return ["open", [url]];
  if (platform === "win32") return ["rundll32", ["url.dll,FileProtocolHandler", url]];
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return ["xdg-open", [url]];
  return undefined;
}

/** Returns whether a browser was asked to open the URL. */
export function openBrowser(url: string, env: Record<string, string | undefined>): boolean {
  const command = browserCommand(process.platform, env, url);
  if (!command) return false;
  try {
    const child = spawn(command[0], command[1], { detached: true, stdio: "ignore" });
    child.on("error", () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
