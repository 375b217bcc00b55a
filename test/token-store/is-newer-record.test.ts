import { InvalidRecordError, isNewerRecord, type RefreshTokenRecord } from "../../token-store";
import { expectNoSecrets } from "./helpers";

const at = (family: string, rotated: string): RefreshTokenRecord => ({
  refreshToken: "rt-secret-table",
  familyStartedAt: family,
  rotatedAt: rotated,
});

describe("isNewerRecord", () => {
  const F1 = "2025-01-01T00:00:00.000Z";
  const F2 = "2025-06-01T00:00:00.000Z";

  it.each<[string, RefreshTokenRecord, RefreshTokenRecord | undefined, boolean]>([
    ["anything beats an unseeded store", at(F1, F1), undefined, true],
    ["same family, later rotation wins", at(F1, "2025-01-02T00:00:00Z"), at(F1, "2025-01-01T12:00:00Z"), true],
    ["same family, earlier rotation loses", at(F1, "2025-01-01T12:00:00Z"), at(F1, "2025-01-02T00:00:00Z"), false],
    ["same family, equal rotation loses (replay is a no-op)", at(F1, "2025-01-02T00:00:00Z"), at(F1, "2025-01-02T00:00:00Z"), false],
    ["later family wins even with an earlier rotatedAt", at(F2, F2), at(F1, "2025-12-31T00:00:00Z"), true],
    ["earlier family loses even with a later rotatedAt", at(F1, "2026-01-01T00:00:00Z"), at(F2, F2), false],
    ["instants, not strings: +02:00 vs Z", at(F1, "2025-01-02T01:30:00+02:00"), at(F1, "2025-01-01T23:00:00Z"), true],
    ["instants, not strings: the same instant in two zones is equal", at(F1, "2025-01-02T02:00:00+02:00"), at(F1, "2025-01-02T00:00:00Z"), false],
    ["family compared as an instant", at("2025-06-01T02:00:00+02:00", F2), at(F2, "2025-07-01T00:00:00Z"), false],
    ["millisecond precision counts", at(F1, "2025-01-02T00:00:00.001Z"), at(F1, "2025-01-02T00:00:00.000Z"), true],
  ])("%s", (_name, incoming, stored, expected) => {
    expect(isNewerRecord(incoming, stored)).toBe(expected);
  });

  it("ignores the token itself and seededFrom", () => {
    const a = { ...at(F1, F2), refreshToken: "rt-secret-a", seededFrom: "x" };
    const b = { ...at(F1, F2), refreshToken: "rt-secret-b" };
    expect(isNewerRecord(a, b)).toBe(false);
    expect(isNewerRecord(b, a)).toBe(false);
  });

  it.each(["yesterday", "2025-01-01", "2025-01-01T00:00:00", "", "2025-13-45T99:00:00Z"])(
    "refuses an unordered timestamp %p without quoting the token",
    (bad) => {
      let thrown: unknown;
      try {
        isNewerRecord({ ...at(F1, F1), rotatedAt: bad, refreshToken: "rt-secret-in-bad-record" }, at(F1, F1));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidRecordError);
      expectNoSecrets(thrown, ["rt-secret-in-bad-record"]);
    },
  );
});
