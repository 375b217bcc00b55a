import { CredentialsSecretError, parseCredentials } from "../../collector/credentials";

/** The credentials secret's two shapes (OAuth without `method`, scoped API token with it); errors never quote values. */

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jira/acme/credentials-AbCdEf";
const parse = (value: unknown) => parseCredentials(ARN, JSON.stringify(value));
const failure = (value: string | undefined): CredentialsSecretError => {
  try {
    parseCredentials(ARN, value);
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialsSecretError);
    expect((error as Error).name).toBe("CredentialsSecretError");
    return error as CredentialsSecretError;
  }
  throw new Error("parsed");
};

describe("OAuth (no method field: the original format, so existing secrets keep working)", () => {
  test("client only, with a license, with an org key", () => {
    expect(parse({ clientId: "cid", clientSecret: "cs-SECRET" })).toEqual({ clientId: "cid", clientSecret: "cs-SECRET" });
    expect(parse({ clientId: "cid", clientSecret: "cs-SECRET", email: "a@x.example", apiToken: "tok-SECRET", orgApiKey: "org-SECRET" })).toEqual({
      clientId: "cid",
      clientSecret: "cs-SECRET",
      license: { email: "a@x.example", apiToken: "tok-SECRET" },
      orgApiKey: "org-SECRET",
    });
  });

  test("bad shapes are named", () => {
    expect(failure(JSON.stringify({ clientId: "cid" })).message).toBe(`credentials secret ${ARN}: missing or invalid field(s): clientSecret`);
    expect(failure(JSON.stringify({ clientId: "cid", clientSecret: "cs-SECRET", email: "a@x.example" })).message).toMatch(/email and apiToken must be set together/);
  });
});

describe("scoped API token", () => {
  test('{"method":"scoped-api-token","email","apiToken"} and with orgApiKey', () => {
    const scoped = parse({ method: "scoped-api-token", email: "a@x.example", apiToken: "scoped-SECRET" });
    expect(scoped).toEqual({ method: "scoped-api-token", email: "a@x.example", apiToken: "scoped-SECRET" });
    expect(scoped.method === "scoped-api-token" && scoped.apiToken).toBe("scoped-SECRET");
    expect(parse({ method: "scoped-api-token", email: "a@x.example", apiToken: "scoped-SECRET", orgApiKey: "org-SECRET" })).toEqual({
      method: "scoped-api-token",
      email: "a@x.example",
      apiToken: "scoped-SECRET",
      orgApiKey: "org-SECRET",
    });
  });

  test.each<[string, unknown, RegExp]>([
    ["no token", { method: "scoped-api-token", email: "a@x.example" }, /missing or invalid scoped-api-token field\(s\): apiToken$/],
    ["an empty token and no email", { method: "scoped-api-token", apiToken: "" }, /missing or invalid scoped-api-token field\(s\): email, apiToken$/],
    ["a token that is no string", { method: "scoped-api-token", email: "a@x.example", apiToken: ["scoped-SECRET"] }, /field\(s\): apiToken$/],
    ["an empty org key", { method: "scoped-api-token", email: "a@x.example", apiToken: "scoped-SECRET", orgApiKey: "" }, /field\(s\): orgApiKey$/],
    ["OAuth fields next to the token", { method: "scoped-api-token", email: "a@x.example", apiToken: "scoped-SECRET", clientId: "cid", refreshToken: "rt-SECRET" }, /is a scoped-api-token secret but also has clientId, refreshToken \(OAuth fields\); run `pulumi up` to rewrite it/],
    ["an unknown method", { method: "SECRET-method", email: "a@x.example", apiToken: "scoped-SECRET" }, /has an unknown method; expected "scoped-api-token" or no method \(OAuth\)/],
  ])("%s: named, no value quoted", (_, value, expected) => {
    const error = failure(JSON.stringify(value));
    expect(error.message).toMatch(expected);
    expect(error.message).not.toMatch(/SECRET/);
    expect(error.secretArn).toBe(ARN);
  });
});

test("no value, no JSON, no object", () => {
  expect(failure(undefined).message).toMatch(/has no value \(SecretString\); `pulumi up` writes it/);
  expect(failure("{scoped-SECRET").message).toBe(`credentials secret ${ARN}: is not JSON`);
  expect(failure('"scoped-SECRET"').message).toBe(`credentials secret ${ARN}: is not a JSON object`);
  expect(failure("null").message).toBe(`credentials secret ${ARN}: is not a JSON object`);
});
