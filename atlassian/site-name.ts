import { InvalidSiteNameError } from "./errors";

/**
 * Site names become part of `https://{site}.atlassian.net`, so this is the SSRF guard: the only accepted forms are
 * `acme`, `acme.atlassian.net` and `https://acme.atlassian.net[/]`, always reduced to `acme`. Anything else —
 * other hosts, ports, userinfo, paths, queries, dots, percent-encoding, non-ASCII — is rejected.
 */

const SITE_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ATLASSIAN_SUFFIX = ".atlassian.net";

/** Returns why `input` is not an acceptable site name, or undefined when it is. Pure; used by `check`. */
export function siteNameProblem(input: unknown): string | undefined {
  const result = parseSiteName(input);
  return "problem" in result ? result.problem : undefined;
}

/** Normalises a site name (`acme`, `acme.atlassian.net`, `https://acme.atlassian.net/`) to `acme`, or throws. */
export function normalizeSiteName(input: unknown): string {
  const result = parseSiteName(input);
  if ("problem" in result) throw new InvalidSiteNameError(result.problem);
  return result.site;
}

function parseSiteName(input: unknown): { site: string } | { problem: string } {
  if (typeof input !== "string") return { problem: "must be a string such as 'acme'" };
  const shown = JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
  const raw = input.trim();
  if (raw === "") return { problem: "is empty; use the site name, e.g. 'acme' for https://acme.atlassian.net" };
  if (/[^\x21-\x7e]/.test(raw)) {
    return { problem: `${shown} contains spaces, control or non-ASCII characters; use the site name, e.g. 'acme'` };
  }

  let host = raw;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme) {
    if (scheme[1].toLowerCase() !== "https") {
      return { problem: `${shown} uses ${scheme[1]}://; Jira Cloud sites are https://<site>.atlassian.net — use 'acme'` };
    }
    const rest = raw.slice(scheme[0].length);
    const end = rest.search(/[/?#\\]/);
    host = end === -1 ? rest : rest.slice(0, end);
    const tail = end === -1 ? "" : rest.slice(end);
    if (tail !== "" && tail !== "/") {
      return { problem: `use the site name 'acme', not a URL path, query or fragment (got ${shown})` };
    }
  } else if (/[/?#\\]/.test(raw)) {
    return { problem: `use the site name 'acme', not a URL path (got ${shown})` };
  }

  if (host.includes("@")) return { problem: `${shown} contains user information ('@'); use the site name only` };
  if (host.startsWith("[")) return { problem: `${shown} is an IP address; use the site name, e.g. 'acme'` };
  if (host.includes(":")) return { problem: `${shown} contains a port; Jira Cloud sites have none — use 'acme'` };
  if (host.includes("%")) return { problem: `${shown} is percent-encoded; use the plain site name` };

  let label = host.toLowerCase();
  if (label.endsWith(ATLASSIAN_SUFFIX)) label = label.slice(0, -ATLASSIAN_SUFFIX.length);
  else if (label.includes(".")) {
    return {
      problem:
        `${shown} is not an Atlassian Cloud site: only <site>.atlassian.net is supported ` +
        `(custom domains and other hosts are refused); use the site name, e.g. 'acme'`,
    };
  }
  if (label.includes(".")) return { problem: `${shown}: the site name cannot contain dots; use e.g. 'acme'` };
  if (!SITE_LABEL.test(label)) {
    return {
      problem:
        `${shown} is not a valid site name: use 1-63 letters, digits or hyphens, not starting or ending with a hyphen`,
    };
  }
  return { site: label };
}
