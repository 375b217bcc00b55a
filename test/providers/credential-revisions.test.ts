import { checkConnectionInputs } from "../../providers/jira-connection/check";
import { UNKNOWN } from "../../providers/jira-connection/inputs";
import { revisionMarker } from "../../providers/jira-connection/revisions";

/** The non-secret markers `check` adds so that `preview --diff` names the credential that changed (revisions.ts). */

const NOW = new Date("2026-12-01T00:00:00Z");
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-token";
const news = (apiToken = "LICENSE-TOKEN-aaaaaaaaaaaaaaaa") => ({
  site: "acme",
  oauth: { clientId: "client", clientSecret: "CLIENT-SECRET-bbbbbbbbbbbbbbbb", refreshToken: "REFRESH-TOKEN-cccccccccccccccc" },
  license: { email: "admin@acme.example", apiToken },
  tokenStore: { secretArn: ARN },
});
const check = (n: Record<string, unknown>, olds: Record<string, unknown> = {}) => checkConnectionInputs(n, NOW, olds).inputs;

test("one 8-hex marker per secret input, none of them containing or equal to a secret or its fingerprint", () => {
  const inputs = check(news());
  const revisions = inputs.credentialRevisions as Record<string, string>;
  expect(Object.keys(revisions).sort()).toEqual(["license.apiToken", "oauth.clientSecret", "oauth.refreshToken"]);
  for (const marker of Object.values(revisions)) expect(marker).toMatch(/^[0-9a-f]{8}$/);
  const text = JSON.stringify(inputs.credentialRevisions) + String(inputs.revisionSalt);
  for (const secret of ["LICENSE-TOKEN", "CLIENT-SECRET", "REFRESH-TOKEN"]) expect(text).not.toContain(secret);
  expect(inputs.revisionSalt).toMatch(/^[0-9a-f]{32}$/);
});

test("deterministic across previews: the salt is carried over from the old inputs", () => {
  const first = check(news());
  const again = check(news(), first);
  expect(again.revisionSalt).toBe(first.revisionSalt);
  expect(again.credentialRevisions).toEqual(first.credentialRevisions);
});

test("changing one credential changes its marker only", () => {
  const first = check(news());
  const rotated = check(news("LICENSE-TOKEN-dddddddddddddddd"), first);
  const [a, b] = [first.credentialRevisions, rotated.credentialRevisions] as Record<string, string>[];
  expect(b!["license.apiToken"]).not.toBe(a!["license.apiToken"]);
  expect({ ...b, "license.apiToken": "" }).toEqual({ ...a, "license.apiToken": "" });
});

test("a new salt per connector: equal tokens of two connectors get different markers", () => {
  const [a, b] = [check(news()), check(news())];
  expect(a.revisionSalt).not.toBe(b.revisionSalt);
  expect(a.credentialRevisions).not.toEqual(b.credentialRevisions);
});

test("an unknown secret stays unknown at preview; a malformed old salt is replaced", () => {
  const inputs = check({ ...news(), license: { email: "admin@acme.example", apiToken: UNKNOWN } }, { revisionSalt: "not-a-salt" });
  expect((inputs.credentialRevisions as Record<string, string>)["license.apiToken"]).toBe(UNKNOWN);
  expect(inputs.revisionSalt).toMatch(/^[0-9a-f]{32}$/);
});

test("domain separated: the same value under two properties gives two markers", () => {
  expect(revisionMarker("00".repeat(16), "oauth.clientSecret", "x")).not.toBe(revisionMarker("00".repeat(16), "license.apiToken", "x"));
});
