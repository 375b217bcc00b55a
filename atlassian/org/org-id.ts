/**
 * Atlassian organization IDs are UUIDs: `admin.atlassian.com/o/<orgId>/…`, and the ID shown when an API key is
 * created. The shape is checked (8-4-4-4-12 groups) but not the hex alphabet, because Atlassian's own documentation
 * examples use letters beyond `f` (`9a1jj823-jac8-123d-jj01-63315k059cb2`); what this catches is a pasted URL, an
 * organization name or a cloud ID with a typo. Pure.
 */
export const ORG_ID_PATTERN = /^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$/i;

export const ORG_ID_EXPECTATION =
  "an organization ID (a UUID such as 0a1b2c3d-4e5f-6789-abcd-ef0123456789: admin.atlassian.com → the ID in the URL after /o/, also shown when you create an API key)";

/** Why `value` is not an organization ID, or undefined when it is one. */
export function orgIdProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return "is empty";
  const fromUrl = /\/o\/([^/?#]+)/.exec(trimmed)?.[1];
  if (fromUrl && ORG_ID_PATTERN.test(fromUrl)) return `is a URL: pass only the ID after /o/ (${fromUrl})`;
  if (!ORG_ID_PATTERN.test(trimmed)) return `is not ${ORG_ID_EXPECTATION}`;
  return undefined;
}
