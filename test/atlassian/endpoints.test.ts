import { EndpointConfigurationError, isLoopbackHost, resolveEndpoints } from "../../atlassian";
import { endpointInEffect } from "../../atlassian/endpoints";

describe("resolveEndpoints", () => {
  test("defaults to Atlassian's hosts", () => {
    const endpoints = resolveEndpoints({});
    expect(endpoints.authUrl).toBe("https://auth.atlassian.com");
    expect(endpoints.apiUrl).toBe("https://api.atlassian.com");
    expect(endpoints.siteUrl("https://acme.atlassian.net/")).toBe("https://acme.atlassian.net");
  });

  test("reads overrides at call time and substitutes {site}", () => {
    const env = {
      JIRA_CONNECTOR_AUTH_URL: "http://127.0.0.1:4000/auth/",
      JIRA_CONNECTOR_API_URL: "http://localhost:4000/api",
      JIRA_CONNECTOR_SITE_URL: "http://[::1]:4000/site/{site}",
    };
    const endpoints = resolveEndpoints(env);
    expect(endpoints.authUrl).toBe("http://127.0.0.1:4000/auth");
    expect(endpoints.siteUrl("acme")).toBe("http://[::1]:4000/site/acme");
  });

  test("the site URL re-validates the site name (no host smuggling)", () => {
    expect(() => resolveEndpoints({}).siteUrl("evil.com/x")).toThrow(/site:/);
  });

  test.each([
    [{ JIRA_CONNECTOR_AUTH_URL: "http://auth.example.com" }, /JIRA_CONNECTOR_AUTH_URL: plain http is allowed only for loopback/],
    [{ JIRA_CONNECTOR_API_URL: "http://10.0.0.1" }, /JIRA_CONNECTOR_API_URL: plain http/],
    [{ JIRA_CONNECTOR_API_URL: "not a url" }, /not an absolute URL/],
    [{ JIRA_CONNECTOR_API_URL: "ftp://127.0.0.1" }, /must be an https URL/],
    [{ JIRA_CONNECTOR_API_URL: "https://u:p@api.example.com" }, /must not contain credentials/],
    [{ JIRA_CONNECTOR_API_URL: "https://api.example.com/?a=b" }, /query or fragment/],
    [{ JIRA_CONNECTOR_SITE_URL: "https://example.atlassian.net" }, /placeholder \{site\}/],
    [{ JIRA_CONNECTOR_SITE_URL: "http://{site}.example.com" }, /plain http/],
  ])("rejects %j", (env, message) => {
    expect(() => resolveEndpoints(env)).toThrow(EndpointConfigurationError);
    expect(() => resolveEndpoints(env)).toThrow(message);
  });

  test("loopback detection", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["127.0.0.1.nip.io", "10.0.0.1", "localhost.evil.com", "0.0.0.0"]) expect(isLoopbackHost(host)).toBe(false);
  });

  test("endpointInEffect names the override variable that chose a URL's host, or none for Atlassian's own", () => {
    const env = { JIRA_CONNECTOR_API_URL: "http://127.0.0.1:9000/api", JIRA_CONNECTOR_SITE_URL: "http://127.0.0.1:9001/{site}" };
    expect(endpointInEffect("http://127.0.0.1:9000/api/oauth/token/accessible-resources", env)).toEqual({ host: "127.0.0.1:9000", variable: "JIRA_CONNECTOR_API_URL", value: env.JIRA_CONNECTOR_API_URL });
    expect(endpointInEffect("http://127.0.0.1:9001/acme/_edge/tenant_info", env)).toMatchObject({ host: "127.0.0.1:9001", variable: "JIRA_CONNECTOR_SITE_URL" });
    expect(endpointInEffect("https://auth.atlassian.com/oauth/token", env)).toEqual({ host: "auth.atlassian.com" });
    expect(endpointInEffect("not a url", env)).toEqual({ host: "(invalid URL)" });
  });
});

