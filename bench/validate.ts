/**
 * `npm run bench:validate` — how long `pulumi up` waits for a JiraConnection's validation, in round trips.
 *
 * The emulator adds 100 ms to every response, so one round trip ≈ 100 ms and wall time / RTT counts the calls on
 * the critical path. Compared with the same checks run one after another. Also counts requests made by
 * check + diff of 100 connectors (preview must make none). Both authentication methods: OAuth (token exchange,
 * token store, license account) and an API token with scopes (probes through the gateway; with the cloud ID derived
 * and configured). Prints figures; asserts nothing.
 */
import { AtlassianClient, getApplicationRoles, getInstanceLicense, getMyPermissions, getMyself } from "../atlassian";
import { createSecretsManagerStore, saveIfNewer } from "../token-store";
import { checkConnectionInputs } from "../providers/jira-connection/check";
import { diffConnection } from "../providers/jira-connection/diff";
import { createConnection } from "../providers/jira-connection/lifecycle";
import { connectionInputs, createTokenSecret } from "../test/providers/fixtures";
import { DEFAULT_SCOPES, startAtlassianEmulator, type AtlassianEmulator } from "../test/support/atlassian-emulator";
import type { ScopedConnectionInputs } from "../providers/jira-connection/inputs";
import { startMoto } from "../test/support/moto";

const LATENCY_MS = 100;
const RUNS = 5;

/** Counts Secrets Manager calls (the bench is not serialized, so patching the SDK here is harmless). */
let awsCalls = 0;
const sdk = require("@aws-sdk/client-secrets-manager");
const originalSend = sdk.SecretsManagerClient.prototype.send;
sdk.SecretsManagerClient.prototype.send = function (this: unknown, ...args: unknown[]) {
  awsCalls++;
  return originalSend.apply(this, args);
};

async function main() {
  const [emulator, moto] = await Promise.all([startAtlassianEmulator({ latencyMs: LATENCY_MS }), startMoto()]);
  Object.assign(process.env, moto.env, emulator.env);
  try {
    const atlassian = new AtlassianClient();
    const rttSamples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await atlassian.cloudId("acme");
      rttSamples.push(performance.now() - start);
    }
    const rtt = median(rttSamples);

    const concurrent: number[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const inputs = connectionInputs(emulator, await createTokenSecret());
      let start = performance.now();
      await createConnection(inputs);
      concurrent.push(performance.now() - start);

      // The same checks, one after another.
      const other = connectionInputs(emulator, await createTokenSecret());
      const store = createSecretsManagerStore({ secretArn: other.tokenStore.secretArn });
      start = performance.now();
      const cloudId = await atlassian.cloudId(other.site);
      await store.read();
      const tokens = await atlassian.oauth.refresh(other.oauth);
      await saveIfNewer(store, { refreshToken: tokens.refreshToken, rotatedAt: new Date().toISOString(), familyStartedAt: new Date().toISOString() });
      await atlassian.oauth.accessibleResources(tokens.accessToken);
      const jira = atlassian.jira({ kind: "api-token", site: other.site, email: other.license!.email, apiToken: other.license!.apiToken });
      await getMyself(jira);
      await getMyPermissions(jira, ["ADMINISTER"]);
      await getApplicationRoles(jira);
      await getInstanceLicense(jira);
      sequential.push(performance.now() - start);
      void cloudId;
    }

    // A scoped API token: no exchange, no store; the probes carry the seat counts.
    const scopedDerived: number[] = [];
    const scopedPinned: number[] = [];
    let scopedRequests = 0;
    const noStore = () => ({ atlassian: new AtlassianClient(), store: undefined as never, now: () => new Date() });
    for (let i = 0; i < RUNS; i++) {
      let start = performance.now();
      emulator.clearRequests();
      await createConnection(scopedInputs(emulator), noStore);
      scopedDerived.push(performance.now() - start);
      scopedRequests = emulator.requests.length;
      start = performance.now();
      await createConnection(scopedInputs(emulator, emulator.site("acme").cloudId), noStore);
      scopedPinned.push(performance.now() - start);
    }

    emulator.clearRequests();
    const awsCallsBefore = awsCalls;
    const states = [];
    for (let i = 0; i < 100; i++) {
      const news = connectionInputs(emulator, `arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-${i}-AbCdEf`);
      const { inputs } = checkConnectionInputs(news);
      states.push(diffConnection({ siteName: "acme" }, inputs));
    }
    const previewRequests = emulator.requests.length;
    const previewAwsCalls = awsCalls - awsCallsBefore;

    const f = (ms: number) => `${ms.toFixed(0)} ms`;
    console.log(`emulator latency ${LATENCY_MS} ms; measured round trip (tenant_info) median ${f(rtt)} over ${RUNS} runs`);
    console.log(`create (concurrent checks):  median ${f(median(concurrent))} = ${(median(concurrent) / rtt).toFixed(2)} × RTT   [target ≤ 3.5×]`);
    console.log(`same checks one by one:      median ${f(median(sequential))} = ${(median(sequential) / rtt).toFixed(2)} × RTT`);
    console.log(`scoped token, cloud ID derived:    median ${f(median(scopedDerived))} = ${(median(scopedDerived) / rtt).toFixed(2)} × RTT   [target ≤ 3.5×; ${scopedRequests} requests]`);
    console.log(`scoped token, cloud ID configured: median ${f(median(scopedPinned))} = ${(median(scopedPinned) / rtt).toFixed(2)} × RTT`);
    console.log(`check + diff of 100 connectors: ${previewRequests} Atlassian requests, ${previewAwsCalls} AWS calls`);
  } finally {
    await Promise.all([emulator.close(), moto.stop()]);
  }
}

function scopedInputs(emulator: AtlassianEmulator, cloudId?: string): ScopedConnectionInputs {
  const acme = emulator.site("acme");
  const apiToken = emulator.createApiToken("acme", { scopes: DEFAULT_SCOPES.filter((s) => s !== "offline_access"), expiresInDays: 100 });
  const raw = { site: "acme", ...(cloudId ? { cloudId } : {}), scopedApiToken: { email: acme.admin.email, apiToken, expiresAt: new Date(Date.now() + 100 * 86_400_000).toISOString().slice(0, 10) } };
  return checkConnectionInputs(raw).inputs as unknown as ScopedConnectionInputs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
