/**
 * The org Admin API calls `check` verifies an org API key with (atlassian/org/organization.ts), against the emulator
 * over HTTP: the organization lookup (key accepted / rejected / another org) and the workspaces listing, paginated.
 */
import { AtlassianClient } from "../../atlassian/client";
import { orgIdProblem } from "../../atlassian/org/org-id";
import { workspacesOfSite } from "../../atlassian/org/organization";
import { type AtlassianEmulator, startAtlassianEmulator } from "../support/atlassian-emulator";

const OTHER_ORG = "0f0f0f0f-1111-4222-8333-444455556666";
let emu: AtlassianEmulator;
let client: AtlassianClient;
beforeAll(async () => {
  emu = await startAtlassianEmulator({ sites: [{ name: "acme", users: 6 }, { name: "globex", users: 4 }, { name: "initech", users: 4, orgId: OTHER_ORG }] });
  client = new AtlassianClient({ env: emu.env });
});
afterAll(async () => emu.close());

test("the org's own key: the organization is found, and its workspaces are the sites of that org only", async () => {
  const acme = emu.site("acme");
  expect(emu.site("globex").orgId).toBe(acme.orgId);
  await expect(client.org.organization({ orgId: acme.orgId, apiKey: acme.orgApiKey })).resolves.toEqual({ status: "ok", name: "acme organization" });
  const listed = await client.org.workspaces({ orgId: acme.orgId, apiKey: acme.orgApiKey });
  if (listed.status !== "ok") throw new Error(`expected workspaces, got ${listed.status}`);
  expect(new Set(listed.workspaces.map((w) => w.hostUrl))).toEqual(new Set(["https://acme.atlassian.net", "https://globex.atlassian.net"]));
  expect(workspacesOfSite(listed.workspaces, "acme", acme.cloudId).length).toBe(acme.applicationRoles.length);
  expect(workspacesOfSite(listed.workspaces, "initech", emu.site("initech").cloudId)).toEqual([]);
  const posts = emu.requests.filter((r) => r.path === `/admin/v2/orgs/${acme.orgId}/workspaces`);
  expect(posts.map((r) => [r.method, r.auth, r.status])).toEqual([["POST", "bearer", 200]]);
});

test("a bad key is rejected (401), another org's key or an unknown org is not found (404)", async () => {
  const acme = emu.site("acme");
  const initech = emu.site("initech");
  expect(await client.org.organization({ orgId: acme.orgId, apiKey: "orgkey-wrong-0123456789" })).toEqual({ status: "key-rejected", httpStatus: 401 });
  expect(await client.org.workspaces({ orgId: acme.orgId, apiKey: "orgkey-wrong-0123456789" })).toEqual({ status: "key-rejected", httpStatus: 401 });
  expect(await client.org.organization({ orgId: acme.orgId, apiKey: initech.orgApiKey })).toEqual({ status: "not-found" });
  expect(await client.org.organization({ orgId: "12345678-aaaa-4bbb-8ccc-1234567890ab", apiKey: acme.orgApiKey })).toEqual({ status: "not-found" });
  await expect(client.org.organization({ orgId: "acme", apiKey: acme.orgApiKey })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
});

test("the emulator paginates workspaces by cursor, and a cursor with other properties is refused", async () => {
  const acme = emu.site("acme");
  const url = `${emu.env.JIRA_CONNECTOR_API_URL}/admin/v2/orgs/${acme.orgId}/workspaces`;
  const post = (body: unknown) =>
    fetch(url, { method: "POST", headers: { authorization: `Bearer ${acme.orgApiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const seen: string[] = [];
  let body: unknown = { limit: 2 };
  for (let i = 0; i < 10; i++) {
    const page = (await (await post(body)).json()) as { data: { id: string }[]; links: { next: string | null }; meta: { total: number } };
    expect(page.data.length).toBeLessThanOrEqual(2);
    seen.push(...page.data.map((w) => w.id));
    if (!page.links.next) break;
    body = { cursor: page.links.next };
  }
  const total = emu.site("acme").applicationRoles.length + emu.site("globex").applicationRoles.length;
  expect(new Set(seen).size).toBe(total);
  expect(seen).toHaveLength(total);
  expect((await post({ cursor: "MDoy", limit: 2 })).status).toBe(400);
});

test("org IDs must be UUID-shaped; a pasted admin URL is named as such", () => {
  expect(orgIdProblem(emu.site("acme").orgId)).toBeUndefined();
  expect(orgIdProblem("9a1jj823-jac8-123d-jj01-63315k059cb2")).toBeUndefined();
  expect(orgIdProblem("")).toBe("is empty");
  expect(orgIdProblem("acme")).toMatch(/^is not an organization ID \(a UUID/);
  expect(orgIdProblem(`https://admin.atlassian.com/o/${OTHER_ORG}/overview`)).toBe(`is a URL: pass only the ID after /o/ (${OTHER_ORG})`);
});
