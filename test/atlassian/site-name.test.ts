import { InvalidSiteNameError, normalizeSiteName, siteNameProblem } from "../../atlassian";

describe("normalizeSiteName", () => {
  test.each([
    ["acme", "acme"],
    ["ACME", "acme"],
    ["  acme  ", "acme"],
    ["acme\n", "acme"],
    ["acme-corp", "acme-corp"],
    ["a1", "a1"],
    ["acme.atlassian.net", "acme"],
    ["Acme.Atlassian.Net", "acme"],
    ["https://acme.atlassian.net", "acme"],
    ["https://acme.atlassian.net/", "acme"],
    ["HTTPS://acme.atlassian.net/", "acme"],
    ["x".repeat(63), "x".repeat(63)],
  ])("accepts %j as %j", (input, expected) => {
    expect(normalizeSiteName(input)).toBe(expected);
    expect(siteNameProblem(input)).toBeUndefined();
  });

  test.each([
    ["", /empty/],
    ["   ", /empty/],
    ["acme corp", /spaces/],
    ["acmé", /non-ASCII/],
    ["ac\u0000me", /control/],
    ["http://acme.atlassian.net", /uses http:\/\//],
    ["ftp://acme.atlassian.net", /uses ftp:\/\//],
    ["javascript://acme", /uses javascript:\/\//],
    ["https://acme.atlassian.net/jira", /not a URL path/],
    ["https://acme.atlassian.net/?x=1", /not a URL path, query or fragment/],
    ["https://acme.atlassian.net#frag", /not a URL path, query or fragment/],
    ["https://acme.atlassian.net//", /not a URL path/],
    ["acme/jira", /not a URL path/],
    ["acme?x", /not a URL path/],
    ["acme#x", /not a URL path/],
    ["acme\\evil", /not a URL path/],
    ["https://acme.atlassian.net:443", /port/],
    ["acme:8080", /port/],
    ["https://user@acme.atlassian.net", /user information/],
    ["https://user:pw@acme.atlassian.net", /user information/],
    ["evil.com@acme", /user information/],
    ["evil.com", /not an Atlassian Cloud site/],
    ["acme.jira.com", /not an Atlassian Cloud site/],
    ["acme.atlassian.net.evil.com", /not an Atlassian Cloud site/],
    ["https://evil.com", /not an Atlassian Cloud site/],
    ["a.b.atlassian.net", /cannot contain dots/],
    ["acme.atlassian.net.", /not an Atlassian Cloud site/],
    [".atlassian.net", /not a valid site name/],
    ["127.0.0.1", /not an Atlassian Cloud site/],
    ["[::1]", /IP address/],
    ["acme%2eevil", /percent-encoded/],
    ["-acme", /not a valid site name/],
    ["acme-", /not a valid site name/],
    ["acme_corp", /not a valid site name/],
    ["x".repeat(64), /not a valid site name/],
  ])("rejects %j", (input, reason) => {
    expect(() => normalizeSiteName(input)).toThrow(InvalidSiteNameError);
    expect(siteNameProblem(input)).toMatch(reason);
    expect(() => normalizeSiteName(input)).toThrow(/^site: /);
  });

  test("rejects non-strings with a named reason", () => {
    expect(siteNameProblem(undefined)).toMatch(/must be a string/);
    expect(siteNameProblem(42)).toMatch(/must be a string/);
  });

  test("the error message names the field and the fix", () => {
    expect(siteNameProblem("https://acme.atlassian.net/jira")).toBe(
      `use the site name 'acme', not a URL path, query or fragment (got "https://acme.atlassian.net/jira")`,
    );
  });
});
