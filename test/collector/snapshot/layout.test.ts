/** Pure layout rules: connector names, the collectedAt path segment, keys. */
import {
  assertConnectorName,
  collectedAtSegment,
  FLEET_TABLE_KINDS,
  fleetTableKey,
  InvalidSnapshotArgumentError,
  latestKey,
  parseCollectedAtSegment,
  snapshotPrefix,
  SnapshotWriter,
  LocalDirectorySink,
} from "../../../collector/snapshot";

describe("connector names", () => {
  it.each(["acme", "a", "acme-prod", "a1", "0", "x".repeat(63), "9-to-5"])("accepts %j", (name) => {
    expect(() => assertConnectorName(name)).not.toThrow();
  });

  it.each([
    "",
    "..",
    ".",
    "acme/../x",
    "acme/x",
    "Acme",
    "acme_prod",
    "acme.prod",
    "-acme",
    "acme-",
    " acme",
    "acme\\x",
    "x".repeat(64),
    "acmé",
  ])("refuses %j with an error naming the field", (name) => {
    let error: unknown;
    try {
      assertConnectorName(name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidSnapshotArgumentError);
    expect((error as InvalidSnapshotArgumentError).field).toBe("connectorName");
    expect((error as Error).message).toMatch(/^connectorName: .* lowercase letters, digits and hyphens/);
  });

  it("refuses non-strings, and is enforced by every entry point", () => {
    expect(() => assertConnectorName(42)).toThrow(/connectorName: must be a string/);
    expect(() => latestKey("../etc")).toThrow(InvalidSnapshotArgumentError);
    expect(() => new SnapshotWriter(new LocalDirectorySink("/tmp/unused"), "a/b", new Date())).toThrow(/connectorName/);
  });
});

describe("collectedAt path segment", () => {
  it("is toISOString with ':' replaced by '-' (UTC, milliseconds, 24 characters)", () => {
    expect(collectedAtSegment(new Date("2026-11-28T23:00:00.000Z"))).toBe("2026-11-28T23-00-00.000Z");
    expect(collectedAtSegment(new Date("2026-11-29T00:00:00+01:00"))).toBe("2026-11-28T23-00-00.000Z");
    expect(collectedAtSegment(new Date(Date.UTC(2027, 0, 2, 3, 4, 5, 67)))).toBe("2027-01-02T03-04-05.067Z");
  });

  it("parses back exactly, and nothing else", () => {
    const date = new Date("2026-11-28T23:00:00.123Z");
    expect(parseCollectedAtSegment(collectedAtSegment(date))).toEqual(date);
    for (const bad of ["2026-11-28T23:00:00.000Z", "2026-13-28T23-00-00.000Z", "2026-11-28T23-00-00Z", "../x", ""]) {
      expect(parseCollectedAtSegment(bad)).toBeUndefined();
    }
  });

  it("sorts lexicographically in time order", () => {
    const times = Array.from({ length: 500 }, (_, i) => Date.UTC(1970, 0, 1) + ((i * 7919 * 1_000_003_917) % 2.5e12));
    const segments = times.map((t) => collectedAtSegment(new Date(t)));
    const byText = [...segments].sort();
    const byTime = [...times].sort((a, b) => a - b).map((t) => collectedAtSegment(new Date(t)));
    expect(byText).toEqual(byTime);
  });

  it("refuses invalid dates and years outside 1970–9999 (where the width would change)", () => {
    expect(() => collectedAtSegment(new Date("nope"))).toThrow(/^collectedAt: /);
    expect(() => collectedAtSegment(new Date("+010000-01-01T00:00:00Z"))).toThrow(/^collectedAt: year 10000/);
    expect(() => collectedAtSegment(new Date("1969-12-31T23:59:59Z"))).toThrow(/^collectedAt: /);
  });
});

describe("keys", () => {
  it("are the documented ones", () => {
    expect(latestKey("acme")).toBe("connectors/acme/latest.json");
    expect(snapshotPrefix("acme", new Date("2026-11-28T23:00:00Z"))).toBe(
      "connectors/acme/snapshots/2026-11-28T23-00-00.000Z/",
    );
  });

  it("fleet tables: one prefix per kind (roles too), Hive-style connector= and day= (the UTC date) folders", () => {
    expect([...FLEET_TABLE_KINDS]).toEqual(["manifests", "users", "activity", "people", "products", "roles"]);
    for (const kind of FLEET_TABLE_KINDS) {
      expect(fleetTableKey(kind, "acme", new Date("2026-11-28T23:00:00Z"))).toBe(
        `fleet-tables/${kind}/connector=acme/day=2026-11-28/2026-11-28T23-00-00.000Z.ndjson.gz`,
      );
    }
    expect(() => fleetTableKey("subscriptions" as never, "acme", new Date())).toThrow(/not a fleet table/);
    expect(() => fleetTableKey("roles", "Acme", new Date())).toThrow(InvalidSnapshotArgumentError);
  });
});
